"""`scriptcontract new PATH`: start a workflow script from the template, with its inputs file
and its cases file.

The script keeps the contract as written (`check` finds nothing in it), runs with the
inputs file beside it and passes the one case of its cases file (`scriptcontract test`).
Nothing is overwritten: when any of the files exists, none is written. The script must be
one the project's configuration treats as a workflow script, so that the editor and `check`
see it as one; when it is not, the message says how to include it.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scriptcontract.cases.files import cases_path
from scriptcontract.config import errors_refusal, find_project_root
from scriptcontract.contract.script_files import EXCLUDED, NOT_INCLUDED, script_decision
from scriptcontract.contract.script_template import (
    DEFAULT_INPUTS,
    cases_text,
    inputs_text,
    script_text,
)
from scriptcontract.contract.settings import LintSettings
from scriptcontract.nested_configs import NEW_STARTED_IN, vouched_config
from scriptcontract.project_files import ProjectFileError
from scriptcontract.project_writes import remove_project_file, write_project_file
from scriptcontract.shown_values import typed_path
from scriptcontract.sidecar import sidecar_path
from scriptcontract.virtual_envs import top_level_environments

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


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    what: str


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


def planned_files(script: Path, inputs: dict[str, Any]) -> list[NewFile]:
    """Every file `new` writes for `script`, in the order they are written."""
    return [
        NewFile(script, script_text(list(inputs)), "script"),
        NewFile(sidecar_path(script), inputs_text(inputs), "inputs file"),
        NewFile(cases_path(script), cases_text(inputs), "cases file"),
    ]


# Written at the current directory when no configuration is found: without it, `run` and
# `check` would take the script's own folder as the project root (`run` never takes the
# current directory: started from `/` or home, that would make all of it writable), and the
# script's relative paths would mean another folder there than here.
FRESH_CONFIGURATION = """\
# scriptcontract's configuration (docs/configuration.md). Its folder is the project root:
# relative paths in scripts start here, and runs may write only below it.
include = ["scripts/**/*.py"]
"""


def _interpreter_lines(root: Path) -> str:
    """The fresh configuration's lines naming the project's virtual environment, commented
    out: runs use `python3` until the user names it (and trusts it: it loosens the sandbox)."""
    found = top_level_environments(root)
    if not found:
        return ""
    relative = os.path.relpath(found[0], root)
    return (
        "\n[executor]\n"
        f"# Runs use python3, not {relative}/, until this names it (then run "
        "`scriptcontract trust`):\n"
        f'# python = "{relative}/bin/python"\n'
    )


def _project_root(script: Path) -> tuple[Path, str, bool]:
    """The project root for a new script, how it was chosen (for messages), and whether it
    has no configuration yet (the current directory, where `new` writes one)."""
    found = find_project_root(script)
    if found is not None:
        return found, f"the project root {found}", False
    cwd = Path.cwd()
    here = find_project_root(cwd)
    if here is not None:
        return (
            here,
            f"the project root {here} (the current directory's: there is no "
            "scriptcontract.toml or pyproject.toml above the script)",
            False,
        )
    return (
        cwd,
        f"the current directory {cwd} (no scriptcontract.toml or pyproject.toml at or "
        "above it or the script)",
        True,
    )


def _how_to_include(relative: str, why: str, source: str | None, instead: str | None) -> str:
    where = source or "a new scriptcontract.toml at the project root"
    if why == EXCLUDED:
        return (
            f"{relative} matches an `exclude` glob of {where}: it would not be checked as a "
            "workflow script. Choose another path, or remove that glob from `exclude`"
        )
    put = (
        f"`{instead}` puts it where `include` looks"
        if instead
        else "Put it where `include` looks (such as scripts/)"
    )
    return (
        f"{relative} does not match the `include` globs of "
        f"{source or 'the default configuration (scripts/**/*.py)'}: it would not be checked "
        f"as a workflow script. {put}, or add a glob "
        f'that matches it, such as "{relative}", to `include` in {where}'
    )


def _included_instead(relative: str, settings: LintSettings) -> str | None:
    """A path near `relative` that `include` takes, relative to the root: with `.py` added,
    or the same name in the folder of an `include` glob (`report.py` -> scripts/report.py)."""
    named = relative if relative.endswith(".py") else f"{relative}.py"
    candidates = [named]
    for glob in settings.include:
        # The glob's folders up to its first wildcard: where a new file surely matches it.
        fixed = glob.split("/")[:-1]
        cut = next((i for i, part in enumerate(fixed) if set(part) & set("*?[")), len(fixed))
        folder = "/".join(fixed[:cut])
        candidates.append(f"{folder}/{PurePosixPath(named).name}" if folder else named)
    return next(
        (path for path in candidates if script_decision(path, None, settings) is None), None
    )


def _command_instead(args: argparse.Namespace, root: Path, relative: str) -> str:
    """The `new` command the user meant, the script's path as typed from here."""
    path = os.path.relpath(root / relative)
    inputs = ["--inputs", *args.inputs] if args.inputs else []
    return shlex.join(["scriptcontract", "new", path, *inputs])


def run(args: argparse.Namespace) -> int:
    try:
        inputs = parse_inputs(args.inputs)
    except ValueError as exc:
        return _fail(str(exc))
    script = Path(os.path.abspath(args.path))
    root, chosen, fresh = _project_root(script)
    # Through the folders as they resolve: a link out of the project stays out.
    real = script.parent.resolve() / script.name
    try:
        relative = real.relative_to(root.resolve()).as_posix()
    except ValueError:
        return _fail(f"{args.path} is outside {chosen}: a new script goes inside its project")
    # As `run` takes it: a nested configuration a run could have written is refused.
    config, unvouched = vouched_config(root, Path.cwd(), NEW_STARTED_IN)
    if unvouched is not None:
        return _fail(f"{unvouched}; nothing was written")
    if config.errors:
        return _fail(errors_refusal(config.errors, "nothing was written"))
    why = script_decision(relative, None, config.lint)
    if why in (NOT_INCLUDED, EXCLUDED):
        instead = _included_instead(relative, config.lint) if why == NOT_INCLUDED else None
        command = _command_instead(args, root, instead) if instead else None
        return _fail(_how_to_include(relative, why, config.source, command))
    files = planned_files(script, inputs)
    if fresh:
        text = FRESH_CONFIGURATION + _interpreter_lines(root)
        files.insert(0, NewFile(root / "scriptcontract.toml", text, "configuration"))
    existing = [f for f in files if f.path.exists() or f.path.is_symlink()]
    if existing:
        names = ", ".join(typed_path(f.path) for f in existing)
        return _fail(f"{names} already exist{'s' if len(existing) == 1 else ''}: nothing written")
    written: list[NewFile] = []
    try:
        for new in files:
            # Created, never replacing what appeared since the check above, in folders
            # walked (and made) from the root without following a link a run swapped in.
            data = new.text.encode("utf-8")
            write_project_file(root, new.path, data, expect=None, make_folders=True)
            written.append(new)
    except ProjectFileError as exc:
        for new in written:
            remove_project_file(root, new.path)
        return _fail(f"{exc}; nothing was kept")
    if args.quiet:
        return EXIT_OK
    for new in files:
        print(f"created {new.what}: {typed_path(new.path)}")
    if fresh:
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
