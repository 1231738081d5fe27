"""`scriptcontract completion SHELL`: a completion script for bash, zsh or fish.

Generated from the command's own argparse definitions by shtab, so it knows every command
and flag of this version and never drifts from them. Paths complete as files.
"""

from __future__ import annotations

import argparse
import sys

SHELLS = ("bash", "zsh", "fish")
# Arguments that name files or directories, by their metavar.
FILES = frozenset({"PATH", "FILE", "SCRIPT"})
DIRECTORIES = frozenset({"DIR"})


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.epilog = (
        'bash: eval "$(scriptcontract completion bash)" in ~/.bashrc; zsh: '
        "scriptcontract completion zsh > ~/.zfunc/_scriptcontract (a directory on $fpath); "
        "fish: scriptcontract completion fish > ~/.config/fish/completions/scriptcontract.fish"
    )


def run(args: argparse.Namespace) -> int:
    import shtab

    from scriptcontract.cli import build_full_parser

    parser = build_full_parser()
    _mark_paths(parser, shtab)
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return 0


def _mark_paths(parser: argparse.ArgumentParser, shtab: object) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _mark_paths(sub, shtab)
            continue
        metavar = action.metavar if isinstance(action.metavar, str) else None
        name = metavar or (action.dest.upper() if not action.option_strings else "")
        if name in FILES:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
        elif name in DIRECTORIES:
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
