"""Where a script's cases live, and reading and writing that file safely.

`scripts/hello.py` has its cases in `scripts/hello.cases.json`, beside its inputs file
`scripts/hello.inputs.json`. The file is read as a project file (a run may have swapped it
for a symlink out of the project or a FIFO), and written atomically, only if it still holds
what was read: an edit made meanwhile, in an editor or by a run, is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from scriptcontract.cases.loading import CASES_SUFFIX, CasesDocument, load_cases
from scriptcontract.project_files import (
    ProjectFileError,
    decode_text,
    named_inside,
    read_project_file,
)

MAX_CASES_BYTES = 10 * 1024 * 1024


class CasesFileChanged(Exception):
    """The file no longer holds what was read: it was not written."""


def cases_path(script: Path) -> Path:
    """`scripts/hello.py` -> `scripts/hello.cases.json`."""
    return script.with_name(script.stem + CASES_SUFFIX)


def is_cases_file(path: Path) -> bool:
    return path.name.endswith(CASES_SUFFIX) and len(path.name) > len(CASES_SUFFIX)


def script_path(cases_file: Path) -> Path:
    """`scripts/hello.cases.json` -> `scripts/hello.py`."""
    return cases_file.with_name(cases_file.name[: -len(CASES_SUFFIX)] + ".py")


def read_cases(root: Path, path: Path) -> tuple[bytes, CasesDocument]:
    """The file's bytes and what they hold; `ProjectFileError` when it cannot be read."""
    data = read_project_file(root, path, max_bytes=MAX_CASES_BYTES)
    return data, load_cases(decode_text(data, path))


def write_cases(root: Path, path: Path, original: bytes | None, text: str) -> None:
    """Replace the file with `text`, unless it no longer holds `original` (None: it must not
    exist yet). Raises `CasesFileChanged`, or `ProjectFileError` when it cannot be written."""
    new = text.encode("utf-8")
    if original is None:
        _create(root, path, new)
        return
    _still(root, path, original)
    # Resolved now that the read above has shown that it stays in the project.
    real = Path(os.path.realpath(path))
    mode = os.stat(real).st_mode & 0o7777
    fd, temporary = tempfile.mkstemp(prefix=".scriptcontract-", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        _still(root, path, original)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _still(root: Path, path: Path, original: bytes) -> None:
    """Raise `CasesFileChanged` unless the file (read as a project file) is `original`."""
    if read_project_file(root, path, max_bytes=MAX_CASES_BYTES) != original:
        raise CasesFileChanged(f"{path} changed since it was read: not written")


def _create(root: Path, path: Path, data: bytes) -> None:
    folder = os.path.realpath(path.parent)
    if not named_inside(root, os.path.join(folder, path.name)) or not _below(folder, root):
        raise ProjectFileError(str(path), "its folder is outside the project")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(os.path.join(folder, path.name), flags, 0o644)
    except FileExistsError:
        raise CasesFileChanged(f"{path} was created meanwhile: not written") from None
    except OSError as exc:
        raise ProjectFileError(str(path), exc.strerror or str(exc)) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _below(folder: str, root: Path) -> bool:
    real_root = os.path.realpath(root)
    return folder == real_root or folder.startswith(real_root.rstrip(os.sep) + os.sep)
