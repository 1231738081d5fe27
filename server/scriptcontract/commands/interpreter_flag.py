"""The `--python PATH` option of the commands that run scripts."""

from __future__ import annotations

import argparse
import os


def add_python_flag(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--python", metavar="PATH", type=_from_here, help=help_text)


def _from_here(value: str) -> str:
    # A path typed on the command line is relative to the folder the command starts in, as
    # every other path argument is; the executor would take it from the project root, as
    # it takes a configuration's. (Imported here: only a command given --python loads it.)
    from scriptcontract.executor.interpreter import interpreter_path

    path = interpreter_path(value, os.getcwd())
    return os.path.normpath(path) if path != value else value
