"""Why the sandbox made a run fail, in the user's words: the reason the editor adds to a
failed run's diagnostic, and `run` and `test` print below the script's stderr.

Pure: an error text (the exception the script's traceback ended with, or the error object it
wrote) and what the run was confined by, in; one sentence saying which protection refused what,
and which setting allows it, out. `run_failure_reason` alone also asks `missing_module`, which
looks at the project's top-level virtual environments. The texts are the script's own, so
nothing here trusts them beyond matching their shape: a script can make us print a wrong hint,
nothing more.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.executor.settings import RUN_FOLDER_PREFIX
from scriptcontract.missing_module import missing_module_reason
from scriptcontract.tracebacks import ParsedTraceback, last_traceback

if TYPE_CHECKING:
    from scriptcontract.executor import ExecutionResult

# `[Errno 13] Permission denied: '/etc/x'` (an OSError naming one file).
FILE_ERROR = re.compile(
    r"""\[Errno (?P<errno>\d+)\] (?P<what>[^:\[\]]+): (?P<quote>['"])(?P<path>[^'"]+)(?P=quote)"""
)
# What the executor appends to a refused write inside the project (project_layout.py).
_LAYOUT_HINT = re.compile(
    r" \((?P<hint>[^()]*? (?:would be a new entry at the project's top level|is a protected path)"
    r".*)\)\s*$",
    re.DOTALL,
)
# The seccomp filter refuses `socket()` with EPERM; the script sees it raw (`socket.socket`),
# through urllib (`<urlopen error [Errno 1] ...>`) or through requests and urllib3
# (`Failed to establish a new connection: [Errno 1] ...`).
_NO_SOCKET = re.compile(r"\[Errno 1\] Operation not permitted")
_NETWORK_WORDS = re.compile(r"socket|urlopen|connect|http", re.IGNORECASE)
# The address-space limit (numpy's `_ArrayMemoryError` too), the file-size limit (Python
# ignores SIGXFSZ, so the write fails with EFBIG), and a thread whose stack the address
# space no longer holds (8 MiB each by default: a few hundred fill 2 GiB).
_OUT_OF_MEMORY = re.compile(r"MemoryError\b|Cannot allocate memory")
_TOO_LARGE = re.compile(r"\[Errno 27\] File too large")
_NO_THREAD = re.compile(r"can't start new thread")
ENOENT, EACCES = 2, 13


def sandbox_reason(
    error: str,
    *,
    root: Path,
    enforced: Collection[str],
    executor_error: str | None = None,
) -> str | None:
    """Why the run's surroundings (the protections in `enforced`, its private folders, its
    working folder) made the failure `error` describes, if they did.

    `executor_error`: the result's own error, which explains a refused write inside the
    project (a protected path, a new top-level entry)."""
    file_error = FILE_ERROR.search(error)
    if file_error is not None:
        found = file_reason(
            int(file_error["errno"]),
            file_error["path"],
            root=root,
            filesystem_confined="filesystem" in enforced,
            executor_error=executor_error,
        )
        if found is not None:
            return found
    if "limits" in enforced:
        if _OUT_OF_MEMORY.search(error):
            return (
                "the sandbox limits each process's memory (address space): sandbox.memory-mb, "
                "2048 MiB unless the project says otherwise"
            )
        if _TOO_LARGE.search(error):
            return "the sandbox limits the size of a file a run writes: sandbox.file-size-mb"
        if _NO_THREAD.search(error):
            return (
                "the sandbox limits each process's memory, the threads' stacks included "
                "(sandbox.memory-mb), and the threads a run has at once (max-threads)"
            )
    if "network" in enforced and _NO_SOCKET.search(error) and _NETWORK_WORDS.search(error):
        return (
            "the sandbox refused it: the project's runs have no network (sandbox.network = false)"
        )
    return None


def file_reason(
    errno: int, named: str, *, root: Path, filesystem_confined: bool, executor_error: str | None
) -> str | None:
    """Why opening `named` failed with `errno`, where the run's surroundings explain it."""
    if errno == EACCES:
        reason = layout_hint(executor_error)
        if reason is None and filesystem_confined and _outside(named, root):
            reason = (
                f"the sandbox refused it: {named} is outside the project "
                "(sandbox.read-paths and write-paths allow more)"
            )
        return reason
    if errno != ENOENT:
        return None
    if not os.path.isabs(named):
        return f"no such file: {named} (a relative path starts at the project root)"
    if any(part.startswith(RUN_FOLDER_PREFIX) for part in Path(named).parts):
        return (
            f"no such file: {named}: a run's home and temp folder are its own, empty at the "
            "start, not yours (read from the project or the inputs)"
        )
    return None


def run_failure_reason(result: ExecutionResult, root: Path) -> str | None:
    """Why the sandbox made this failed run fail, if it did: read from the exception its
    last traceback ended with, else from the error it reported itself."""
    if result.success:
        return None
    if result.timed_out:
        return (
            "the run reached its time limit: `--timeout-ms` for one run, `timeout_ms` in a "
            "cases file, `[executor] timeout-ms` for the project (30 s unless it says "
            "otherwise; a longer one needs `scriptcontract trust`)"
        )
    traceback = last_traceback(result.stderr.splitlines())
    error = exception_text(traceback) if traceback is not None else ""
    reason = sandbox_reason(
        error or result.error or "",
        root=root,
        enforced=result.sandbox.enforced,
        executor_error=result.error,
    )
    return reason or missing_module_reason(error, python=result.python, root=root)


def exception_text(traceback: ParsedTraceback) -> str:
    """The exception a traceback ended with, as `sandbox_reason` reads it: one raised in
    the socket module says so, which its own text (`PermissionError: [Errno 1] ...`) does not."""
    text = traceback.exception or ""
    in_socket = any(os.path.basename(frame.path) == "socket.py" for frame in traceback.frames)
    if text and in_socket:
        return f"{text} (in socket)"
    return text


def layout_hint(executor_error: str | None) -> str | None:
    """The executor's explanation of a refused write inside the project, if it gave one."""
    hint = _LAYOUT_HINT.search(executor_error or "")
    return f"the sandbox refused it: {hint['hint']}" if hint is not None else None


def without_layout_hint(error: str) -> str:
    """The error without the executor's explanation (shown as the reason instead)."""
    hint = _LAYOUT_HINT.search(error)
    return error[: hint.start()] if hint is not None else error


def _outside(named: str, root: Path) -> bool:
    if not os.path.isabs(named):
        return False
    path = os.path.normpath(named)
    base = os.path.normpath(str(root))
    return path != base and not path.startswith(base.rstrip(os.sep) + os.sep)
