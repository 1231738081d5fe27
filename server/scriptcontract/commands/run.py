"""`scriptcontract run`: run one workflow script with JSON inputs and report the result."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from scriptcontract.config import find_project_root, load_project_config, project_executor
from scriptcontract.executor import ExecutionResult
from scriptcontract.executor.settings import MAX_INPUTS_BYTES
from scriptcontract.project_files import (
    ProjectFileError,
    decode_text,
    named_inside,
    read_project_file,
    size_text,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", help="the script, relative to the project root or absolute")
    parser.add_argument(
        "--root", help="project root (default: nearest directory with a pyproject.toml)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--inputs", metavar="JSON", help="the inputs as a JSON object")
    source.add_argument("--inputs-file", metavar="FILE", help="a file holding the inputs JSON")
    parser.add_argument("--timeout-ms", type=int, metavar="N", help="timeout in milliseconds")
    parser.add_argument("--python", metavar="PATH", help="interpreter the script runs with")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.epilog = "Arguments after `--` are passed to the script."


def _fail(message: str) -> int:
    print(f"scriptcontract run: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _read_inputs(args: argparse.Namespace, root: Path) -> tuple[Any, str | None]:
    if args.inputs is not None:
        text, origin = args.inputs, "--inputs"
    elif args.inputs_file is not None:
        try:
            text = decode_text(_read_inputs_file(args.inputs_file, root), args.inputs_file)
        except ProjectFileError as exc:
            return None, f"cannot read --inputs-file {args.inputs_file}: {exc.reason}"
        origin = args.inputs_file
    else:
        return None, None
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, f"{origin} is not valid JSON: {exc}"
    except RecursionError:
        return None, f"{origin} is nested too deeply to be read as JSON"
    if not isinstance(value, dict):
        return None, f"{origin} must be a JSON object, got {type(value).__name__}"
    return value, None


def _read_inputs_file(named: str, root: Path) -> bytes:
    """The file's bytes. In the project it is read as a project file (a run may have left a
    symlink to a secret or a FIFO there). Outside, it is the user's to name, pipes included
    (`--inputs-file <(jq ...)`, `/dev/stdin`): a FIFO nobody writes to waits, as `cat` does,
    until Ctrl-C."""
    if named_inside(root, named):  # relative to the current directory, as the shell means it
        return read_project_file(root, os.path.abspath(named), max_bytes=MAX_INPUTS_BYTES)
    try:
        with open(named, "rb") as handle:
            data = handle.read(MAX_INPUTS_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProjectFileError(named, reason, missing=isinstance(exc, FileNotFoundError)) from None
    if len(data) > MAX_INPUTS_BYTES:
        raise ProjectFileError(named, f"it is larger than {size_text(MAX_INPUTS_BYTES)}")
    return data


def run(args: argparse.Namespace) -> int:
    script = Path(args.script)
    if args.root is not None:
        root = Path(args.root)
        if not root.is_dir():
            return _fail(f"--root {args.root} is not a directory")
    else:
        found = find_project_root(script.resolve())
        root = found if found is not None else Path.cwd()
    inputs, problem = _read_inputs(args, root)
    if problem:
        return _fail(problem)
    config = load_project_config(root)
    for error in config.errors:
        print(f"scriptcontract run: warning: {error}", file=sys.stderr)
    if args.timeout_ms is not None and args.timeout_ms <= 0:
        return _fail("--timeout-ms must be a positive number of milliseconds")
    # A script path given relative to the current directory (tab completion) also works.
    if not script.is_absolute() and not (root / script).exists() and script.exists():
        script = script.resolve()
    executor = project_executor(
        root,
        config,
        timeout_ms=config.executor.timeout_ms,
        python=config.executor.python,
        # One run per process: starting a warm runner would only add its start-up.
        mode="cold" if config.executor.mode == "auto" else config.executor.mode,
    )
    result = asyncio.run(
        executor.execute_script(
            script,
            inputs,
            timeout_ms=args.timeout_ms,
            python_path=args.python,
            args=list(args.passthrough),
        )
    )
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(summary(result))
    if result.success:
        return EXIT_OK
    return EXIT_USAGE if result.error_kind in ("validation", "setup") else EXIT_FAILED


def summary(result: ExecutionResult) -> str:
    """A few readable lines: outcome, output or error, stderr, protections."""
    lines: list[str] = []
    took = f"{result.execution_time_ms:.0f} ms"
    if result.success:
        lines.append(f"✓ success ({took})")
        lines.append(json.dumps(result.output, indent=2, ensure_ascii=False))
    else:
        status = "timed out" if result.timed_out else f"exit {result.exit_code}"
        if result.error_kind in ("validation", "setup"):
            status = "not run"
        lines.append(f"✗ failed ({status}, {took}): {result.error}")
        if result.output is not None:
            lines.append(json.dumps(result.output, indent=2, ensure_ascii=False))
        if result.timeout_stack:
            lines.append("where it was when the time ran out:")
            lines.append(result.timeout_stack)
    if result.stderr.strip():
        lines.append("--- stderr ---")
        lines.append(result.stderr.rstrip())
    if result.error_kind not in ("validation", "setup"):
        sandbox = result.sandbox
        lines.append(
            "sandbox: "
            + (", ".join(sandbox.enforced) or "nothing enforced")
            + (f"; missing: {', '.join(sandbox.missing)}" if sandbox.missing else "")
        )
    return "\n".join(lines)
