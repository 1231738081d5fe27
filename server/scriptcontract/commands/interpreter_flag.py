"""The `--python PATH` option of the commands that run scripts."""

from __future__ import annotations

import argparse
import os


def add_python_flag(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--python", metavar="PATH", type=_from_here, help=help_text)


def _from_here(value: str) -> str:
    # A path typed on the command line is relative to the folder the command starts in, as
    # every other path argument is; the executor would take it from the project root, as
    # it takes a configuration's.
    path = os.path.expanduser(value)
    if os.path.dirname(path) and not os.path.isabs(path):
        return os.path.abspath(path)
    return value
