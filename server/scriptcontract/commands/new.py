"""`scriptcontract new PATH`: start a workflow script from the template, with its inputs file
and its cases file (`new_script`: what is written, and the checks first).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from scriptcontract.contract.script_template import DEFAULT_INPUTS
from scriptcontract.new_script import NewScriptRefused, plan_new_script, write_new_script
from scriptcontract.shown_values import typed_path
from scriptcontract.sidecar import sidecar_path

EXIT_OK, EXIT_USAGE = 0, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the new script, e.g. scripts/report.py")
    parser.add_argument(
        "--inputs",
        nargs="+",
        action="extend",
        metavar="KEY=VALUE",
        help="input keys the script reads, with their values for its inputs file; a VALUE "
        "that is valid JSON is taken as JSON (3, true, [1, 2]), anything else as a string "
        f"(default: {' '.join(f'{k}={v}' for k, v in DEFAULT_INPUTS.items())})",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing but errors (no list of files)"
    )
    parser.epilog = (
        "Writes PATH and, beside it, its inputs file (PATH without .py, plus .inputs.json). "
        "PATH must be inside the project (the nearest directory above it with a "
        "scriptcontract.toml or pyproject.toml, else the current directory, where a minimal "
        "scriptcontract.toml is written so that `run` and `check` take the same root) and "
        "match its `include` globs (default scripts/**/*.py)."
    )


def _fail(message: str) -> int:
    print(f"scriptcontract new: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def parse_inputs(pairs: list[str] | None) -> dict[str, Any]:
    """`["name=World", "count=3"]` -> `{"name": "World", "count": 3}`; ValueError says why not."""
    if not pairs:
        return dict(DEFAULT_INPUTS)
    inputs: dict[str, Any] = {}
    for pair in pairs:
        key, equals, text = pair.partition("=")
        if not equals or not key:
            raise ValueError(f"--inputs {pair!r}: expected KEY=VALUE, such as name=World")
        if key in inputs:
            raise ValueError(f"--inputs: the key {key!r} is given twice")
        try:
            inputs[key] = json.loads(text)
        except (ValueError, RecursionError):
            inputs[key] = text
    return inputs


def _command_instead(args: argparse.Namespace, path: Path) -> str:
    """The `new` command the user meant, the script's path as typed from here."""
    inputs = ["--inputs", *args.inputs] if args.inputs else []
    return shlex.join(["scriptcontract", "new", os.path.relpath(path), *inputs])


def run(args: argparse.Namespace) -> int:
    try:
        inputs = parse_inputs(args.inputs)
    except ValueError as exc:
        return _fail(str(exc))
    script = Path(os.path.abspath(args.path))
    try:
        new = plan_new_script(
            script,
            inputs,
            Path.cwd(),
            named=args.path,
            command_instead=lambda path: _command_instead(args, path),
        )
        write_new_script(new, typed_path)
    except NewScriptRefused as exc:
        return _fail(str(exc))
    if args.quiet:
        return EXIT_OK
    for file in new.files:
        print(f"created {file.what}: {typed_path(file.path)}")
    if new.fresh:
        print(
            "  (there was none: this folder is now the project root of run, check and test, "
            "so the script's relative paths start here)"
        )
    sidecar = sidecar_path(script)
    run_command = shlex.join(
        ["scriptcontract", "run", typed_path(script), "--inputs-file", typed_path(sidecar)]
    )
    print(f"next: {run_command}")
    return EXIT_OK
