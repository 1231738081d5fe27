"""`scriptcontract run`: run one workflow script with JSON inputs and report the result.

The inputs come from `--inputs`, `--inputs-file` (`-`: stdin) or, when neither is given,
from stdin if something is piped in, and on a terminal from the script's inputs file
(`<name>.inputs.json`, as the editor's "Run with inputs"). Standard output carries the
script's JSON document only (or the whole result with `--json`), so that `run ... | jq`
works; the status line, the script's stderr, the sandbox report and every error go to
stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from scriptcontract.commands.interpreter_flag import add_python_flag
from scriptcontract.config import errors_refusal, find_project_root, project_executor
from scriptcontract.contract.script_files import companion_of
from scriptcontract.executor import ExecutionResult
from scriptcontract.executor.paths import OUTSIDE_ROOT
from scriptcontract.executor.settings import MAX_INPUTS_BYTES
from scriptcontract.nested_configs import RUN_STARTED_IN, vouched_config
from scriptcontract.project_files import (
    ProjectFileError,
    decode_text,
    named_inside,
    read_project_file,
    size_text,
)
from scriptcontract.sandbox_reasons import run_failure_reason
from scriptcontract.shown_values import output_json, printable, printable_json, typed_path
from scriptcontract.sidecar import sidecar_path
from scriptcontract.trust import check_trust

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "script", metavar="SCRIPT", help="the script, relative to the project root or absolute"
    )
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="project root (default: the nearest directory above the script with a "
        "scriptcontract.toml or pyproject.toml, else the script's folder)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--inputs",
        metavar="JSON",
        help="the inputs as a JSON object (default: stdin if piped, else the script's "
        "<name>.inputs.json if any, else {})",
    )
    source.add_argument(
        "--inputs-file", metavar="FILE", help="a file holding the inputs JSON (`-`: stdin)"
    )
    parser.add_argument("--timeout-ms", type=int, metavar="N", help="timeout in milliseconds")
    add_python_flag(parser, "interpreter the script runs with")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print the script's output and what went wrong, nothing else (no notes, no "
        "success line, no sandbox line)",
    )
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say which project root, configuration file and interpreter the run uses",
    )
    parser.add_argument(
        "--save-case",
        metavar="NAME",
        help="save this run as a case named NAME in the script's `<name>.cases.json` "
        "(its inputs and what the run gave; see `scriptcontract test`)",
    )
    parser.add_argument(
        "--no-schema-check",
        action="store_true",
        help="run even when the inputs do not match the script's declared "
        "`<name>.schema.json` (by default such inputs are refused)",
    )
    parser.epilog = (
        "Arguments after `--` are passed to the script. The project's configuration is read "
        "from scriptcontract.toml, else [tool.scriptcontract] in pyproject.toml, at the root."
    )


def _fail(message: str) -> int:
    print(f"scriptcontract run: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _note(args: argparse.Namespace, message: str) -> None:
    """What the command chose for the user (their inputs, their root): not with `-q`."""
    if not args.quiet:
        print(f"scriptcontract run: {message}", file=sys.stderr)


def _read_stdin() -> str:
    return sys.stdin.buffer.read().decode("utf-8") if sys.stdin is not None else ""


def _read_inputs(args: argparse.Namespace, root: Path, script_file: Path) -> tuple[Any, str | None]:
    if args.inputs is not None:
        text, origin = args.inputs, "--inputs"
    elif args.inputs_file == "-" or (args.inputs_file is None and _stdin_piped()):
        try:
            text = _read_stdin()
        except (OSError, UnicodeDecodeError) as exc:
            return None, f"cannot read the inputs from stdin: {exc}"
        origin = "the inputs on stdin"
        if not text.strip():
            return None, (
                "stdin is empty: pipe a JSON object in (echo '{}' | scriptcontract run ...), "
                "or give --inputs JSON or --inputs-file FILE"
            )
    elif args.inputs_file is not None:
        try:
            text = decode_text(_read_inputs_file(args.inputs_file, root), args.inputs_file)
        except ProjectFileError as exc:
            return None, f"cannot read --inputs-file {args.inputs_file}: {exc.reason}"
        origin = args.inputs_file
    else:
        # On a terminal, the script's inputs file is what the editor's "Run with inputs" uses.
        beside = sidecar_path(script_file)
        if _outside(script_file, root) or not beside.is_file():
            _note(args, "no inputs given (--inputs, --inputs-file or a pipe): the script gets {}")
            return {}, None
        shown = typed_path(beside)
        try:
            text = decode_text(
                read_project_file(root, os.path.abspath(beside), max_bytes=MAX_INPUTS_BYTES), shown
            )
        except ProjectFileError as exc:
            return None, f"cannot read the script's inputs file {shown}: {exc.reason}"
        _note(
            args,
            "no inputs given (--inputs, --inputs-file or a pipe): using the script's inputs "
            f"file {shown}",
        )
        origin = shown
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, f"{origin} is not valid JSON: {exc}"
    except RecursionError:
        return None, f"{origin} is nested too deeply to be read as JSON"
    if not isinstance(value, dict):
        return None, f"{origin} must be a JSON object, got {type(value).__name__}"
    return value, None


def _stdin_piped() -> bool:
    """True when stdin is a pipe or a file, not a terminal nor closed."""
    try:
        return sys.stdin is not None and not os.isatty(sys.stdin.fileno())
    except (OSError, ValueError):
        return False


def _outside(script: Path, root: Path) -> bool:
    path = script if script.is_absolute() else root / script
    return not path.resolve().is_relative_to(root.resolve())


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
    note = None
    if args.root is not None:
        root = Path(args.root)
        if not root.is_dir():
            return _fail(f"--root {args.root} is not a directory")
    else:
        # The script as named, its links not followed: a run may leave `scripts/tool.py` as a
        # link to a file elsewhere, whose folder must not become the root (writable).
        named = Path(os.path.abspath(script))
        found = find_project_root(named)
        if found is None:
            # Not the current folder: run from `/`, that would make everything writable.
            root = named.parent
            note = (
                f"no scriptcontract.toml or pyproject.toml at or above {args.script}: its "
                f"folder {root} is the project root (--root to choose, or put a "
                "scriptcontract.toml at the project's top)"
            )
        else:
            root = found
    # A script path given relative to the current directory (tab completion) also works.
    if not script.is_absolute() and not (root / script).exists() and script.exists():
        script = script.resolve()
    script_file = script if script.is_absolute() else root / script
    # Said before the inputs are read: "stdin is empty" would hide a mistyped script name
    # (and before the note on the root, which is about a script that is there).
    if script_file.is_dir():
        return _fail(f"{args.script} is a directory: name the script to run, a .py file in it")
    companion = companion_of(script_file.name)
    if companion is not None:
        return _fail(_companion_message(args.script, *companion))
    if not script_file.exists() and not _outside(script, root):
        return _fail(f"Script not found: {args.script}")
    if note is not None:
        _note(args, f"note: {note}")
    inputs, problem = _read_inputs(args, root, script_file)
    if problem:
        return _fail(problem)
    # A configuration a run could have written is used only once vouched for, as in `check`;
    # a root the user named is theirs (nested_configs.vouched_config).
    named_root = args.root is not None
    config, unvouched = vouched_config(root, Path.cwd(), RUN_STARTED_IN, chosen=named_root)
    if unvouched is not None:
        # The refusal says what and how to vouch; the file's own errors wait until it is used.
        return _fail(f"{unvouched}; nothing was run")
    if config.errors:
        # Fail closed: a typo such as `nework = false` must not run the script with defaults.
        return _fail(errors_refusal(config.errors, "nothing was run"))
    given = ["executor.python"] if args.python else []
    if args.timeout_ms is not None:
        given.append("executor.timeout-ms")  # the flag's, not the file's
    verdict = check_trust(root, config, given=given)
    if not verdict.ok:
        return _fail(verdict.message())
    if args.timeout_ms is not None and args.timeout_ms <= 0:
        return _fail("--timeout-ms must be a positive number of milliseconds")
    try:
        executor = project_executor(
            root,
            config,
            timeout_ms=config.executor.timeout_ms,
            python=config.executor.python,
            # One run per process: starting a warm runner would only add its start-up.
            mode="cold" if config.executor.mode == "auto" else config.executor.mode,
        )
    except ValueError as exc:
        return _fail(str(exc))
    if _outside(script, root):
        return _fail(_outside_message(args, root))
    if args.verbose:
        where = config.source or "none (the defaults)"
        _note(args, f"project root {root}; configuration: {where}")
        _note(args, f"python: {args.python or config.executor.python}")
    if not args.no_schema_check:
        refused = _schema_refusal(script_file, inputs)
        if refused:
            return _fail(refused)
        _warn_inferred(script_file, inputs)
    result, stopped_by = asyncio.run(
        _until_signalled(
            executor.execute_script(
                script,
                inputs,
                timeout_ms=args.timeout_ms,
                python_path=args.python,
                args=list(args.passthrough),
            )
        )
    )
    if result is None:
        name = signal.Signals(stopped_by).name
        print(
            f"scriptcontract run: stopped by {name}: the script and every process it started "
            "were killed",
            file=sys.stderr,
        )
        return 128 + stopped_by
    if args.json:
        print(printable_json(result.model_dump_json(indent=2)))
    elif result.error_kind in ("validation", "setup"):
        message = result.error or "the script was not run"
        # The script outside the root: say which root, and how to name another. Not for an
        # input path outside it: that is what the check is for, not a root to widen.
        if OUTSIDE_ROOT in message and not message.startswith("Input path validation failed"):
            message += f" ({_outside_message(args, root)})"
        return _fail(message)
    else:
        report(result, root, quiet=args.quiet)
    if not args.no_schema_check:
        _check_output(script_file, result)
    if args.save_case is not None and not _save_case(args.save_case, root, script, inputs, result):
        return EXIT_USAGE
    if result.success:
        return EXIT_OK
    return EXIT_USAGE if result.error_kind in ("validation", "setup") else EXIT_FAILED


def _schema_refusal(script: Path, inputs: dict[str, Any]) -> str | None:
    """Why the inputs are refused by the script's declared schema, or None to run."""
    from scriptcontract.schema_check import schema_refusal

    return schema_refusal(script, inputs, shown=typed_path)


def _companion_message(named: str, what: str, script_name: str) -> str:
    """`run` was given one of a script's JSON files (tab completion offers them with it):
    the command that does what was meant."""
    script = typed_path(Path(named).with_name(script_name))
    if what == "inputs file":
        meant = f"scriptcontract run {script} --inputs-file {named}"
    elif what == "cases file":
        meant = f"scriptcontract test {named}"
    else:
        meant = f"scriptcontract run {script}"
    return f"{named} is the {what} of {script_name}, not a script: {meant}"


def _warn_inferred(script: Path, inputs: dict[str, Any]) -> None:
    from scriptcontract.check.sources import read_script_text
    from scriptcontract.schema_check import inferred_warning

    try:
        source = read_script_text(script)
    except ProjectFileError:
        return  # the run says what is wrong with the script
    warning = inferred_warning(script, inputs, source, typed_path(script))
    if warning:
        print(f"scriptcontract run: warning: {warning}", file=sys.stderr)


def _check_output(script: Path, result: ExecutionResult) -> None:
    """A declared output shape the run's output breaks is said on stderr (the run stands)."""
    from scriptcontract.schema_check import declared_schema, output_problems
    from scriptcontract.schema_files import SchemaFileError, schema_path

    try:
        schema = declared_schema(script)
    except SchemaFileError:
        return  # refused before the run unless --no-schema-check
    if schema is None:
        return
    shape, problems = output_problems(schema, result.output, success=result.success)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        declared = schema_path(script).name
        print(
            f"scriptcontract run: warning: the output does not match `$defs.{shape}` of "
            f"{declared}:\n{listed}",
            file=sys.stderr,
        )


def _save_case(
    name: str, root: Path, script: Path, inputs: dict[str, Any], result: ExecutionResult
) -> bool:
    """Append this run to the script's cases; False (after saying why) when it cannot be."""
    from scriptcontract.case_runner import actual_of
    from scriptcontract.cases.adding import CaseNotAdded, add_case

    path = script if script.is_absolute() else root / script
    try:
        added = add_case(root, path, name.strip() or None, inputs, actual_of(result))
    except CaseNotAdded as exc:
        print(f"scriptcontract run: error: {exc}", file=sys.stderr)
        return False
    print(f"scriptcontract run: saved as case {added.name!r} in {added.path}", file=sys.stderr)
    return True


async def _until_signalled(run: Coroutine[Any, Any, T]) -> tuple[T | None, int]:
    """The run's result; or, when a signal that ends this command arrives first (a closed
    terminal, `kill`, Ctrl+C), the run cancelled (its processes killed, its temp dir
    removed) and the signal's number."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(run)
    received: list[int] = []

    def stop(number: int) -> None:
        received.append(number)
        task.cancel()

    names = ("SIGTERM", "SIGHUP", "SIGINT")
    stops = [getattr(signal, name) for name in names if hasattr(signal, name)]
    for number in stops:
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(number, stop, number)
    try:
        return await task, 0
    except asyncio.CancelledError:
        if not received:
            raise
        return None, received[0]
    finally:
        for number in stops:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(number)


def _outside_message(args: argparse.Namespace, root: Path) -> str:
    how = (
        "given with --root"
        if args.root is not None
        else "the nearest directory above the script with a scriptcontract.toml or pyproject.toml"
    )
    named = Path(os.path.abspath(args.script))
    if named.is_relative_to(Path(os.path.abspath(root))):
        # Inside as named, outside once resolved: a link a run could have left.
        return (
            f"{args.script}: a symbolic link in its path leads outside the project "
            f"{root.resolve()}: not run"
        )
    return (
        f"{args.script} is outside the project root {root.resolve()} ({how}); "
        "name the script's project with --root DIR"
    )


def report(result: ExecutionResult, root: Path, *, quiet: bool = False) -> None:
    """The script's JSON document on stdout; how the run went on stderr."""
    if result.output is not None:
        print(output_json(result.output))
        sys.stdout.flush()
    # What the script wrote (stderr, its error, the stack dump) goes to the user's terminal:
    # escape sequences in it are shown, not obeyed.
    said = summary(result, root, quiet=quiet)
    if said:
        print(printable(said), file=sys.stderr)


def summary(result: ExecutionResult, root: Path, *, quiet: bool = False) -> str:
    """A few readable lines: outcome or error, where it timed out, stderr, why the sandbox
    made it fail (as the editor says it), protections. `quiet`: what went wrong alone."""
    lines: list[str] = []
    took = f"{result.execution_time_ms:.0f} ms"
    if result.success:
        if not quiet:
            lines.append(f"✓ success ({took})")
    else:
        if result.timed_out:
            status = "timed out"
        elif result.exit_code is None:  # stopped by the executor (too many processes...)
            status = "stopped"
        else:
            status = f"exit {result.exit_code}"
        lines.append(f"✗ failed ({status}, {took}): {result.error}")
        stack = _script_frames(result.timeout_stack)
        if stack:
            lines.append("where it was when the time ran out, innermost call first:")
            lines.extend(stack)
    if result.stderr.strip():
        lines.append("--- stderr ---")
        lines.append(result.stderr.rstrip())
    reason = run_failure_reason(result, root)
    if reason is not None:
        lines.append(f"hint: {reason}")
    sandbox = result.sandbox
    if not quiet or sandbox.missing:  # a protection missing is something that went wrong
        lines.append(
            "sandbox: "
            + (", ".join(sandbox.enforced) or "nothing enforced")
            + (f"; missing: {', '.join(sandbox.missing)}" if sandbox.missing else "")
        )
    return "\n".join(lines)


# faulthandler's heading of each thread's stack ("Current thread 0x... (most recent call
# first):"): the heading of the section says it in words.
_THREAD_HEADING = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):$")
_OWN_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _script_frames(stack: str | None) -> list[str]:
    """The stack at a timeout as the user reads it: the script's frames, not the sandbox's
    start-up frames (scriptcontract's own files) nor faulthandler's thread headings."""
    kept = []
    for line in (stack or "").splitlines():
        if not line.strip() or _THREAD_HEADING.match(line):
            continue
        frame = re.match(r'\s*File "(?P<path>[^"]+)"', line)
        if frame and os.path.abspath(frame["path"]).startswith(_OWN_FILES):
            continue
        kept.append(line)
    return kept
