"""Which runs break the contract, and how: the signature two failing runs share or not.

A run that answers, with its output or with its own error object and exit 1, keeps the
contract, whatever it says. A failure is a run that does not: an exception that escaped
(its type, and the line of the project's code it was raised on, from the traceback),
output that is not one JSON object, an exit status other than 0 or 1, an error object
with exit 0, a timeout, a flood of output or a process killed. Runs the executor refused
before starting (an input path outside the project) are neither.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.sandbox_reasons import run_failure_reason
from scriptcontract.tracebacks import last_traceback

if TYPE_CHECKING:
    from scriptcontract.executor import ExecutionResult

NOT_STARTED = ("validation", "setup")


@dataclass(frozen=True)
class Signature:
    """What makes two failures the same one: the kind, the exception and where it was
    raised (None when the run left no traceback into the project's code)."""

    kind: str  # "exception", "no JSON output", "exit code", "error with exit 0", "timeout", ...
    error_type: str | None
    path: str | None  # relative to the project root
    line: int | None
    function: str | None = None

    def what(self) -> str:
        """`ZeroDivisionError`, `no JSON output (InvalidJSONOutput)`, `timeout`..."""
        if self.kind == "exception":
            return self.error_type or "exception"
        return f"{self.kind} ({self.error_type})" if self.error_type else self.kind

    def describe(self) -> str:
        what = self.what()
        if self.path is None:
            return what
        where = f"{self.path}:{self.line}" + (f" in {self.function}" if self.function else "")
        return f"{what} at {where}"


@dataclass(frozen=True)
class Classified:
    """One run: a failure's signature and message, or an answer (its error type if any)."""

    signature: Signature | None
    message: str = ""
    started: bool = True
    handled_error: str | None = None  # the error_type of an error object the script wrote


def classify(result: ExecutionResult, root: Path) -> Classified:
    if result.error_kind in NOT_STARTED:
        return Classified(None, result.error or "", started=False)
    if result.success:
        return Classified(None)
    exit_code = result.exit_code
    if result.error_kind == "exit" and result.output is not None and exit_code == 1:
        return Classified(None, handled_error=result.error_type or "error")
    path, line, function, exception, message = _raised_at(result.stderr, root)
    if result.timed_out:
        kind = "timeout"
    elif result.error_kind == "exit" and result.output is not None and exit_code == 0:
        kind = "error with exit 0"
    elif exception is not None and result.output is None:
        kind = "exception"
    elif result.output is None and exit_code in (0, 1):
        kind = "no JSON output"
    elif result.error_kind in ("output", "limits", "signal"):
        kind = {"output": "output flood", "limits": "too many processes", "signal": "killed"}[
            result.error_kind
        ]
    else:
        kind = f"exit code {exit_code}"
    error_type = exception if kind == "exception" else (result.error_type or exception)
    text = result.error or ""
    if kind == "no JSON output":
        # Exit 0 or 1 alike: what matters is what stdout holds, which the executor only
        # explains for exit 0.
        error_type = None
        if exit_code != 0:
            text = f"{text}; stdout: {_start(result.stdout)}" if result.stdout.strip() else text
    if kind == "exception":
        text = f"{exception}: {message}" if message else str(exception)
    hint = run_failure_reason(result, root)
    if hint is not None:
        text = f"{text} — {hint}"
    return Classified(Signature(kind, error_type, path, line, function), text)


def _raised_at(
    stderr: str, root: Path
) -> tuple[str | None, int | None, str | None, str | None, str]:
    """The innermost frame of the last traceback that is in the project's code (path
    relative to the root), the exception's type and message."""
    traceback = last_traceback(stderr.splitlines())
    if traceback is None:
        return None, None, None, None, ""
    exception = traceback.exception_type or None
    real_root = os.path.realpath(root)
    for frame in reversed(traceback.frames):
        with contextlib.suppress(OSError, ValueError):
            real = os.path.realpath(frame.path)
            if os.path.commonpath([real, real_root]) == real_root:
                shown = Path(os.path.relpath(real, real_root)).as_posix()
                return shown, frame.line, frame.function, exception, traceback.message
    return None, None, None, exception, traceback.message


def _start(text: str, limit: int = 80) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return repr(first if len(first) <= limit else first[: limit - 1] + "…")
