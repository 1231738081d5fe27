"""The `scriptcontract` command: parses the subcommand and hands over to its module.

Exit codes are the same for every subcommand: 0 success, 1 the checked or run script
failed, 2 a usage, validation or set-up error; 141 when the reader of the output went away
early (`| head -1`), as for any tool killed by SIGPIPE, and without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from scriptcontract import __version__

# Subcommand modules are imported lazily so that `scriptcontract check` never pays for
# the language server's imports, nor `serve` for the executor's.
SUBCOMMANDS = {
    "check": ("Lint workflow scripts against the contract.", "scriptcontract.commands.check"),
    "run": (
        "Run a workflow script with JSON inputs in the sandbox.",
        "scriptcontract.commands.run",
    ),
    "new": (
        "Start a workflow script from the template, with its inputs and cases files.",
        "scriptcontract.commands.new",
    ),
    "test": (
        "Run the recorded cases of workflow scripts in the sandbox.",
        "scriptcontract.commands.test",
    ),
    "serve": ("Start the language server (stdio by default).", "scriptcontract.commands.serve"),
    "doctor": ("Show which sandbox protections work here.", "scriptcontract.commands.doctor"),
    "trust": (
        "Trust a project's settings that loosen the sandbox.",
        "scriptcontract.commands.trust",
    ),
    "schema": (
        "Print or write the JSON Schema of a workflow script's inputs.",
        "scriptcontract.commands.schema",
    ),
    "rule": ("Show a rule's documentation, offline.", "scriptcontract.commands.rule"),
    "completion": (
        "Print a shell completion script (bash, zsh, fish).",
        "scriptcontract.commands.completion",
    ),
    "version": ("Print the version (as `--version` does).", "scriptcontract.commands.version"),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool killed by SIGPIPE


def _columns() -> int:
    """`shutil.get_terminal_size().columns`, without importing shutil (and the compression
    modules it brings: ~1.5 ms of every command, for argparse's help width)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:  # argparse makes its formatters with `prog` alone
        super().__init__(prog, width=_columns() - 2)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(argv: Sequence[str], *, every: bool = False) -> argparse.ArgumentParser:
    """The parser; only the subcommand named in `argv` gets its arguments, unless `every`."""
    parser = _Parser(
        prog="scriptcontract",
        description="Check, run and serve workflow scripts: JSON inputs on stdin, one JSON "
        "object on stdout, exit 0 or 1.",
        epilog="Exit status: 0 success, 1 findings or a failed script, 2 usage, validation "
        "or set-up error. `scriptcontract COMMAND --help` for each command.",
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"scriptcontract {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (summary, module_name) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary)
        if every or name == wanted:
            importlib.import_module(module_name).register(sub)
    return parser


def build_full_parser() -> argparse.ArgumentParser:
    """Every subcommand with every argument (for completion scripts and the docs' test)."""
    return build_parser([], every=True)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Everything after `--` belongs to the script (`run SCRIPT -- ARGS`), never to us.
    passthrough: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        args_list, passthrough = args_list[:cut], args_list[cut + 1 :]
    _gate_output(args_list)
    parser = build_parser(args_list)
    _unknown_command(parser, args_list)
    args, unknown = parser.parse_known_args(args_list)
    if unknown:
        _unrecognized(parser, args.command, unknown)
    args.passthrough = passthrough
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(SUBCOMMANDS[args.command][1])
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()


def _gate_output(argv: list[str]) -> None:
    """Everything printed from here on is shown, never obeyed by the terminal: messages name
    files and values a run could have chosen (`shown_values.PrintedStream`). Not `serve`'s
    stdout, which is the protocol's, read by the editor and written through its buffer."""
    from scriptcontract.shown_values import printed_stream

    if sys.stderr is not None:
        sys.stderr = printed_stream(sys.stderr)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if sys.stdout is not None and command != "serve":
        sys.stdout = printed_stream(sys.stdout)


def _unrecognized(parser: argparse.ArgumentParser, command: str | None, unknown: list[str]) -> None:
    """Refuse arguments no parser took, with the usage of the command they were given to
    (argparse would show the top-level usage), and the flag meant when one is close."""
    import difflib

    target = parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            target = action.choices[command]
    flags = [flag for action in target._actions for flag in action.option_strings]
    message = f"unrecognized arguments: {' '.join(unknown)}"
    for argument in unknown:
        close = difflib.get_close_matches(argument.split("=")[0], flags, n=1, cutoff=0.7)
        if argument.startswith("-") and close:
            message += f" (did you mean {close[0]}?)"
            break
    if command == "run" and not unknown[0].startswith("-"):
        # A word after the script: meant for the script, which gets what follows `--`.
        message += " (the script's own arguments go after `--`: run SCRIPT [options] -- ARGS)"
    target.error(message)


def _unknown_command(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Refuse a mistyped command with the one meant, as ruff does (`chek`: check)."""
    import difflib

    given = next((arg for arg in argv if not arg.startswith("-")), None)
    if given is None or given in SUBCOMMANDS:
        return
    close = difflib.get_close_matches(given, SUBCOMMANDS, n=1, cutoff=0.6)
    meant = f" (did you mean {close[0]}?)" if close else ""
    parser.error(f"unknown command {given!r}{meant}; the commands: {', '.join(SUBCOMMANDS)}")


def _reader_gone() -> int:
    # Whatever is still buffered would fail again when the interpreter flushes at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE
