"""One run's `ExecutionResult` as diagnostics: what happened, on the line where it happened.

Pure: the result, the script's source and a way to read other project files' lines in,
`RunDiagnostic`s (a path and a `Finding`) out. `convert.py` turns them into LSP
diagnostics under their own source, so they never overwrite the lint results.

- success: a hint on the entry line, with the time and the start of the output (never a
  problem: the server shows it as an inlay hint instead where the client can);
- an exception: an error on the deepest frame inside the project (in that file when it is
  another module; the script then also gets one on its own deepest frame), the frames as
  related locations, and the reason when it can be told (a missing input key, a path the
  sandbox refused);
- an error the script handled (its own JSON error, exit 1): an error on the line its error
  text points at (the read of the missing key, the literal naming the file), with why;
- a timeout: an error on the line that was running when the time ran out (the child's
  stack dump), not on line 1;
- invalid JSON output: an error quoting what was printed, on the print call that wrote
  the stray text when the source can tell which one;
- stderr: lines that point into the project become hints there (a path relative to the
  project root or to the script's folder too), the rest one summary.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scriptcontract.contract.finding import Finding, Range, RelatedLocation, Severity
from scriptcontract.executor.outcome import INVALID_JSON
from scriptcontract.executor.result import ExecutionResult
from scriptcontract.lsp.documents import split_lines
from scriptcontract.lsp.entry_point import entry_line
from scriptcontract.lsp.failure_site import failure_site
from scriptcontract.lsp.print_calls import find_writer, stray_stdout_line
from scriptcontract.missing_module import environment_with_module, missing_module_reason
from scriptcontract.sandbox_reasons import exception_text, without_layout_hint
from scriptcontract.shown_values import first_line
from scriptcontract.tracebacks import (
    Frame,
    ParsedTraceback,
    last_traceback,
    located_lines,
    parse_stack_dump,
)

PREVIEW_CHARS = 100
LABEL_CHARS = 60
SUMMARY_LINES = 3
# A script decides what its exception messages and stderr lines hold: one 1 MB stderr line
# became a 1 MB diagnostic. The whole text stays in the result and the server log.
MAX_MESSAGE_CHARS = 2000
_SANDBOX_DIR = str(Path(__file__).resolve().parents[1] / "executor" / "sandbox")

LinesOf = Callable[[Path], "list[str] | None"]


@dataclass(frozen=True)
class RunDiagnostic:
    path: Path
    finding: Finding
    # The project's environment that has the module the run missed (`.venv/bin/python`):
    # the editors offer to name it in `run.python`, which only the user's click does.
    use_python: str | None = None


def _finding(
    code: str,
    message: str,
    severity: Severity,
    where: Range,
    related: list[RelatedLocation] | None = None,
) -> Finding:
    if len(message) > MAX_MESSAGE_CHARS:
        cut = len(message) - MAX_MESSAGE_CHARS
        message = f"{message[:MAX_MESSAGE_CHARS]}… ({cut} more characters)"
    return Finding(
        code=code,
        name=code,
        message=message,
        severity=severity,
        range=where,
        related=related or [],
    )


def line_range(lines: list[str] | None, line: int) -> Range:
    """The code on 0-based `line`, without its indentation."""
    if not lines or not 0 <= line < len(lines):
        return Range.of(max(line, 0), 0, max(line, 0), 0)
    text = lines[line]
    return Range.of(line, len(text) - len(text.lstrip()), line, len(text.rstrip()))


class _Context:
    def __init__(
        self, result: ExecutionResult, script: Path, root: Path, source: str, lines_of: LinesOf
    ) -> None:
        self.result = result
        self.script = _real(script)
        self.root = _real(root)
        self.source = source
        self.script_lines = split_lines(source)
        self.entry = entry_line(source)
        self.lines_of = lines_of
        self.out: list[RunDiagnostic] = []
        self.stray_writes: list[Range] = []
        self.flagged_paths: list[Range] = []

    def lines(self, path: Path) -> list[str] | None:
        return self.script_lines if path == self.script else self.lines_of(path)

    def add(self, path: Path, finding: Finding, use_python: str | None = None) -> None:
        self.out.append(RunDiagnostic(path, finding, use_python))

    def at_entry(self, code: str, message: str, severity: Severity) -> None:
        self.add(self.script, _finding(code, message, severity, self._entry_range()))

    def _entry_range(self) -> Range:
        return line_range(self.script_lines, self.entry)

    def in_project(self, raw_path: str) -> Path | None:
        """The frame's file when it belongs to the project (not to the sandbox bootstrap)."""
        path = Path(raw_path)
        if not path.is_absolute():
            path = self._relative(path)
        path = _real(path)
        if str(path).startswith(_SANDBOX_DIR):
            return None
        try:
            path.relative_to(self.root)
        except ValueError:
            return None
        return path

    def _relative(self, path: Path) -> Path:
        """A relative path as a script's stderr names it: from the project root (the run's
        working directory), else from the script's folder (`logging`'s `%(filename)s`)."""
        for base in (self.root, self.script.parent):
            if (base / path).is_file():
                return base / path
        return self.root / path

    def site(self, error: str) -> tuple[Range | None, str | None, str | None]:
        """The most likely line of the failure `error` describes, why it failed, and the
        project's interpreter that has the module it missed."""
        found = failure_site(
            error,
            source=self.source,
            root=self.root,
            enforced=self.result.sandbox.enforced,
            executor_error=self.result.error,
            flagged_paths=self.flagged_paths,
        )
        if found.reason is not None:
            return found.range, found.reason, None
        python, root = self.result.python, self.root
        reason = missing_module_reason(error, python=python, root=root, command_line=False)
        return found.range, reason, environment_with_module(error, python=python, root=root)

    def related(self, frames: list[Frame]) -> list[RelatedLocation]:
        related = []
        for frame in frames:
            path = self.in_project(frame.path)
            if path is None:
                continue
            where = line_range(self.lines(path), frame.line - 1)
            related.append(
                RelatedLocation(
                    message=f"in {frame.function}" if frame.function else "here",
                    range=where,
                    path=str(path),
                )
            )
        return related

    def located_frames(self, frames: list[Frame]) -> list[tuple[Path, Frame]]:
        return [(path, f) for f in frames if (path := self.in_project(f.path)) is not None]


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path


def run_diagnostics(
    result: ExecutionResult,
    *,
    script: Path,
    project_root: Path,
    script_source: str,
    lines_of: LinesOf,
    stray_writes: list[Range] | None = None,
    flagged_paths: list[Range] | None = None,
) -> list[RunDiagnostic]:
    """The diagnostics one run leaves in the project's files.

    `stray_writes`: where the analyser saw non-JSON writes to stdout; when the printed text
    matches no call's literal text and the analyser saw exactly one, that is the culprit.
    `flagged_paths`: where the analyser saw paths that lead out of the project; when a
    refused file is named by no literal and the analyser saw exactly one, that is the line.
    """
    ctx = _Context(result, script, project_root, script_source, lines_of)
    ctx.stray_writes = list(stray_writes or [])
    ctx.flagged_paths = list(flagged_paths or [])
    stderr_lines = result.stderr.splitlines()
    traceback = last_traceback(stderr_lines)
    reported: range | None = None
    if result.success:
        ctx.at_entry("success", success_message(result), Severity.HINT)
    elif result.error_kind in ("validation", "setup"):
        ctx.at_entry("not-run", f"Not run: {result.error}", Severity.ERROR)
    elif result.timed_out:
        _timeout(ctx)
    elif traceback is not None and traceback.frames and ctx.located_frames(traceback.frames):
        _exception(ctx, traceback)
        reported = range(traceback.first_line, traceback.last_line + 1)
    elif result.error_kind == "output" and (result.error or "").startswith(INVALID_JSON):
        _invalid_json(ctx)
    else:
        _handled_failure(ctx)
    if reported is None and traceback is not None and ctx.located_frames(traceback.frames):
        # A traceback the script printed and went on (logging.exception, print_exc): its
        # exception where it was raised, as a failure's is, not a line on the entry line.
        _printed_traceback(ctx, traceback)
        reported = range(traceback.first_line, traceback.last_line + 1)
    _stderr(ctx, stderr_lines, reported)
    return ctx.out


def success_message(result: ExecutionResult) -> str:
    """ "✓ 35 ms: {"success": true, ...}" (the output cut at PREVIEW_CHARS)."""
    return f"✓ {result.execution_time_ms:.0f} ms: {_preview(result.output, PREVIEW_CHARS)}"


def success_label(result: ExecutionResult) -> str:
    """The inlay hint beside the entry line: short (editors cut long hints, VS Code at 43
    characters), so without the `"success": true` the mark already says: "✓ 35 ms →
    {"message": "Hello, Ada!"}"."""
    output = result.output
    if isinstance(output, dict) and output.get("success") is True:
        output = {key: value for key, value in output.items() if key != "success"}
    return f"✓ {result.execution_time_ms:.0f} ms → {_preview(output, LABEL_CHARS)}"


def _preview(output: object, limit: int) -> str:
    text = json.dumps(output, ensure_ascii=False)
    return text[:limit] + "…" if len(text) > limit else text


def _exception(ctx: _Context, traceback: ParsedTraceback) -> None:
    located = ctx.located_frames(traceback.frames)
    path, frame = located[-1]
    message = traceback.exception or (ctx.result.error or "exception")
    _, reason, use_python = ctx.site(exception_text(traceback) or message)
    if reason is not None:
        message = f"{message} — {reason}"
    related = ctx.related(traceback.frames)
    where = line_range(ctx.lines(path), frame.line - 1)
    ctx.add(path, _finding("exception", message, Severity.ERROR, where, related), use_python)
    if path != ctx.script:
        # The run was started from the script: it also shows where the failure came from.
        in_script = [(p, f) for p, f in located if p == ctx.script]
        shown = _relative(path, ctx.root)
        if in_script:
            _, own = in_script[-1]
            where = line_range(ctx.script_lines, own.line - 1)
            note = f"{message} (raised in {shown}:{frame.line})"
            found = _finding("exception", note, Severity.ERROR, where, related=related)
            ctx.add(ctx.script, found, use_python)


def _timeout(ctx: _Context) -> None:
    frames = parse_stack_dump(ctx.result.timeout_stack or "")
    located = ctx.located_frames(frames)
    message = f"Timed out after {duration(ctx.result.execution_time_ms)}"
    if not located:
        ctx.at_entry("timeout", f"{message} (no stack was recorded)", Severity.ERROR)
        return
    path, frame = located[-1]
    related = ctx.related(frames)
    where = line_range(ctx.lines(path), frame.line - 1)
    text = f"{message}: it was running this line"
    ctx.add(path, _finding("timeout", text, Severity.ERROR, where, related=related))
    if path != ctx.script:
        in_script = [f for p, f in located if p == ctx.script]
        if in_script:
            where = line_range(ctx.script_lines, in_script[-1].line - 1)
            shown = _relative(path, ctx.root)
            note = f"{message}: it was running {shown}:{frame.line}, called from here"
            ctx.add(ctx.script, _finding("timeout", note, Severity.ERROR, where, related=related))


def _invalid_json(ctx: _Context) -> None:
    message = ctx.result.error or INVALID_JSON
    stray = stray_stdout_line(ctx.result.stdout)
    site = find_writer(ctx.source, stray) if stray else None
    if site is not None:
        where = Range.of(site.line, site.start, site.end_line, site.end)
    elif stray and len(ctx.stray_writes) == 1:
        where = ctx.stray_writes[0]
    else:
        ctx.at_entry("invalid-json", message, Severity.ERROR)
        return
    text = f"{message} — this call printed {json.dumps(stray, ensure_ascii=False)}"
    ctx.add(ctx.script, _finding("invalid-json", text, Severity.ERROR, where))


def _printed_traceback(ctx: _Context, traceback: ParsedTraceback) -> None:
    path, frame = ctx.located_frames(traceback.frames)[-1]
    where = line_range(ctx.lines(path), frame.line - 1)
    message = f"stderr: {traceback.exception or 'a traceback'} (printed, the script went on)"
    severity = Severity.HINT if ctx.result.success else Severity.INFORMATION
    related = ctx.related(traceback.frames)
    ctx.add(path, _finding("stderr", message, severity, where, related=related))


def _handled_failure(ctx: _Context) -> None:
    """The script reported its own error (and exit 1): on the line its error points at."""
    where, reason, use_python = ctx.site(ctx.result.error or "")
    message = outcome_text(ctx.result)
    if reason is not None:
        message = f"{message} — {reason}"
    where = where or ctx._entry_range()
    ctx.add(ctx.script, _finding("failed", message, Severity.ERROR, where), use_python)


def _stderr(ctx: _Context, lines: list[str], skip: range | None) -> None:
    located, rest = located_lines(lines, skip)
    for item in located:
        path = ctx.in_project(item.path)
        if path is None:
            rest.append(lines[item.index])
            continue
        where = line_range(ctx.lines(path), item.line - 1)
        ctx.add(path, _finding("stderr", f"stderr: {item.message}", Severity.HINT, where))
    if rest:
        shown = [line.strip() for line in rest[:SUMMARY_LINES]]
        more = len(rest) - len(shown)
        tail = f" … ({more} more lines; the full stderr is in the server log)" if more else ""
        # Beside a success it is a note, not a problem.
        severity = Severity.HINT if ctx.result.success else Severity.INFORMATION
        ctx.at_entry("stderr", "stderr: " + " ⏎ ".join(shown) + tail, severity)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def outcome_text(result: ExecutionResult) -> str:
    """The short outcome the code lens and the editors' summaries show: "✓ 35 ms",
    "✗ KeyError: 'name'" (an exception), "✗ exit 1: no name given" (the script's own error)."""
    if result.success:
        return f"✓ {duration(result.execution_time_ms)}"
    if result.error_kind in ("validation", "setup"):
        return f"✗ not run: {first_line((result.error or '').removeprefix('Not run: '), 60)}"
    if result.timed_out:
        return f"✗ timed out after {duration(result.execution_time_ms)}"
    if result.error_kind == "output" and (result.error or "").startswith(INVALID_JSON):
        return "✗ invalid JSON output"
    if result.error_kind in ("output", "limits", "signal"):
        return f"✗ {first_line(result.error or result.error_kind, 60)}"
    traceback = last_traceback(result.stderr.splitlines())
    if traceback is not None and traceback.exception_type:
        return f"✗ {first_line(traceback.exception, 60)}"
    status = f"exit {result.exit_code}" if result.exit_code is not None else "failed"
    error = without_layout_hint(result.error or "")
    if result.error_type and error and result.error_type not in error:
        detail = f"{result.error_type} {error}"
    else:
        detail = error
    return f"✗ {status}: {first_line(detail, 60)}" if detail else f"✗ {status}"


def duration(milliseconds: float) -> str:
    """35 ms, 2.0 s."""
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.1f} s"
    return f"{milliseconds:.0f} ms"
