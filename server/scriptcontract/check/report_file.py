"""Opening `check --output-file`: never through a link a run left where the report goes.

CI writes the report into the project (`--output-file reports/check.xml`), where runs
write too: a run that left `reports/check.xml` as a symbolic link to a file of the user's
(or, as root, to a system file) had `check` overwrite it with the report, whose file names
and messages the run chose. So a report named inside the project (or below the current
folder) is opened folder by folder from there without following a link, made if missing,
and must be a regular file; one named elsewhere (`/dev/stderr`, a shared folder) is
opened as named: the user chose it, and no run of the project could have put it there.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TextIO

from scriptcontract.config import find_project_root
from scriptcontract.project_files import named_inside

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
LINK = "a symbolic link in its path (a run may have left it): not written through"


class ReportFileError(OSError):
    """The report file cannot be opened; `str()` says why."""


def open_report(named: str, cwd: Path) -> TextIO:
    given = Path(os.path.abspath(Path(cwd, named)))
    base = _strict_base(given, cwd)
    if base is None or os.open not in os.supports_dir_fd:
        given.parent.mkdir(parents=True, exist_ok=True)
        return open(given, "w", encoding="utf-8")
    parts = given.relative_to(base).parts
    if not parts:
        raise ReportFileError(f"{named} is a folder")
    folder = os.open(base, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        for part in parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=folder)
            below = _open_folder(part, folder)
            os.close(folder)
            folder = below
        flags = os.O_WRONLY | os.O_CREAT | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK
        try:
            fd = os.open(parts[-1], flags, 0o666, dir_fd=folder)
        except OSError as exc:
            raise _explained(exc) from None
    finally:
        os.close(folder)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ReportFileError("not a regular file")
    os.set_blocking(fd, True)
    os.ftruncate(fd, 0)
    return os.fdopen(fd, "w", encoding="utf-8")


def _open_folder(name: str, parent: int) -> int:
    try:
        return os.open(name, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC, dir_fd=parent)
    except OSError as exc:
        raise _explained(exc) from None


def _explained(exc: OSError) -> OSError:
    if exc.errno in (getattr(os, "ELOOP", 40), getattr(os, "ENOTDIR", 20)):
        return ReportFileError(LINK)
    return exc


def _strict_base(given: Path, cwd: Path) -> Path | None:
    """The folder from which no link is followed: the project holding the report, or the
    current folder when the report lies below it; None when it lies outside both."""
    existing = given.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    root = find_project_root(existing)
    if root is not None and named_inside(root, given):
        return Path(os.path.abspath(root))
    here = Path(os.path.abspath(cwd))
    if given.is_relative_to(here) and given != here:
        return here
    return None
