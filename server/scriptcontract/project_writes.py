"""Write a file of the project that a script could have planted, swapped or replaced.

Every file scriptcontract writes in a project goes through here: `check --fix` and
`--add-noqa`, the cases a user accepts or saves (editor and `run --save-case`), `schema
--write`, `new`. A run may have left anything where they write: a symbolic link to the
user's `~/.bashrc` in place of the script or its cases file, a folder swapped for a link out
between a check and the write, a FIFO, a file of a gigabyte. Writing by path followed the
link and replaced or rewrote the file outside; the attack only needed the user's next fix
or accepted case.

So a write here:

- resolves the path (the final link too when the caller writes through links, as `check
  --fix` does for a script shared by a link inside the project) and refuses it unless it
  lands inside the project root;
- opens every folder of the resolved path again from the root's descriptor without
  following a link (made, without following either, where the caller asks for missing
  folders): a link swapped in meanwhile is refused, and every later step acts on that
  folder's descriptor, so no swap after it leads anywhere else;
- never opens what is not a regular file (a FIFO does not block, a device is not touched),
  reads at most the size it expects, and writes only when the file still holds what the
  caller read (twice: before and just before the rename);
- writes the new content aside in the same folder and renames it over the name: the entry
  is replaced, never written through, a reader never sees half a file, and a regular file
  keeps its mode.

Every refusal is a `ProjectWriteError` (a `ProjectFileError`) whose message names the file
and says why; `ProjectFileChanged` when the file no longer holds what was read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Final

from scriptcontract.project_files import (
    _DIR_FLAGS,
    _O_CLOEXEC,
    _O_NOFOLLOW,
    ProjectFileError,
    _explain,
    _kind,
    _shown,
)
from scriptcontract.project_files import _FILE_FLAGS as _READ_FLAGS

_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
_WALKS_BY_DESCRIPTOR = (
    os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd and bool(_O_NOFOLLOW)
)

LINK_IN_PATH = "a symbolic link in its path (a run may have left it) is not written through"
LINK_OUT = "a symbolic link in its path leads outside the project"
OUTSIDE = "it is outside the project"
KEPT = "which runs may not write"
MADE_MEANWHILE = "it exists (it was made since it was looked for)"
_REPOSITORIES = frozenset((".git", ".hg", ".svn", ".jj"))


class _Anything:
    def __repr__(self) -> str:
        return "ANYTHING"


ANYTHING: Final = _Anything()
"""`expect=ANYTHING`: replace whatever entry has the name (a link is replaced, not followed)."""


class ProjectWriteError(ProjectFileError):
    """A project file that cannot be written safely; `str()` is the message for the user."""

    def __init__(self, shown: str, reason: str) -> None:
        super().__init__(shown, reason)
        self.args = (f"cannot write {shown}: {reason}",)

    def __str__(self) -> str:
        return str(self.args[0])


class ProjectFileChanged(ProjectWriteError):
    """The file no longer holds what the caller read: nothing was written."""


def write_project_file(
    root: str | os.PathLike[str],
    path: str | os.PathLike[str],
    data: bytes,
    *,
    expect: bytes | _Anything | None,
    follow_link: bool = False,
    make_folders: bool = False,
) -> None:
    """Put `data` at `path`, a file inside the project at `root`.

    `expect`: the bytes the file must still hold (read by the caller); None: it must not
    exist (created, never replacing anything); `ANYTHING`: whatever entry is there is
    replaced. `follow_link`: a link at `path` itself is written through, when it leads to a
    file inside the project. `make_folders`: missing folders below the root are made.
    """
    shown = _shown(path)
    try:
        real_root, parts = _inside(root, path, shown, follow_link=follow_link)
        if _WALKS_BY_DESCRIPTOR:
            folder = _open_folders(real_root, parts[:-1], shown, make_folders)
            try:
                _write_in(folder, parts[-1], data, expect, shown)
            finally:
                os.close(folder)
        else:
            _write_by_path(real_root, parts, data, expect, shown, make_folders)
    except ProjectFileError:
        raise
    except (OSError, ValueError) as exc:
        raise ProjectWriteError(shown, _explain(exc)) from None


def remove_project_file(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Remove `path` if it is a regular file of the project (a rollback of what was just
    written); whatever else is there, or a link on the way, is left alone."""
    shown = _shown(path)
    with contextlib.suppress(ProjectFileError, OSError, ValueError):
        real_root, parts = _inside(root, path, shown, follow_link=False)
        if not _WALKS_BY_DESCRIPTOR:
            target = os.path.join(real_root, *parts)
            if stat.S_ISREG(os.lstat(target).st_mode):
                os.unlink(target)
            return
        folder = _open_folders(real_root, parts[:-1], shown, make=False)
        try:
            if stat.S_ISREG(os.stat(parts[-1], dir_fd=folder, follow_symlinks=False).st_mode):
                os.unlink(parts[-1], dir_fd=folder)
        finally:
            os.close(folder)


def _inside(
    root: str | os.PathLike[str], path: str | os.PathLike[str], shown: str, *, follow_link: bool
) -> tuple[str, list[str]]:
    """The resolved root and the components below it of the resolved path (its folder
    only, unless `follow_link`)."""
    real_root = os.path.realpath(root)
    given = os.fspath(path)
    candidate = os.path.abspath(given if os.path.isabs(given) else os.path.join(root, given))
    if follow_link:
        real = os.path.realpath(candidate)
    else:
        real = os.path.join(
            os.path.realpath(os.path.dirname(candidate)), os.path.basename(candidate)
        )
    relative = os.path.relpath(real, real_root)
    if relative == os.curdir:
        raise ProjectWriteError(shown, "it is the project folder, not a file")
    lexical = os.path.relpath(candidate, os.path.abspath(root))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        if lexical == os.pardir or lexical.startswith(os.pardir + os.sep):
            raise ProjectWriteError(shown, OUTSIDE)
        raise ProjectWriteError(shown, LINK_OUT)
    parts = relative.split(os.sep)
    kept = _kept_from_runs(real_root, parts) if lexical != relative else None
    if kept is not None:
        # A link a run left in its own area must not lead the write where no run may
        # write (`scripts/hook.py -> ../.git/hooks/post-merge`); named there, it is the
        # user's choice.
        raise ProjectWriteError(shown, f"a symbolic link in its path leads into {kept}, {KEPT}")
    return real_root, parts


def _kept_from_runs(real_root: str, parts: list[str]) -> str | None:
    """The protected path holding `parts`, if any: a default protected name at the top, one
    the project's configuration adds (`sandbox.protected-paths`), a repository's folder or
    a virtual environment anywhere."""
    from scriptcontract.executor.project_layout import DEFAULT_PROTECTED, VENV_MARKER

    if parts[0] in DEFAULT_PROTECTED:
        return parts[0]
    configured = _configured_protected(real_root)
    for end in range(1, len(parts) + 1):
        if "/".join(parts[:end]) in configured:
            return "/".join(parts[:end])
    for end in range(1, len(parts)):
        folder = parts[:end]
        if folder[-1] in _REPOSITORIES or os.path.isfile(
            os.path.join(real_root, *folder, VENV_MARKER)
        ):
            return "/".join(folder)
    return None


def _configured_protected(real_root: str) -> frozenset[str]:
    """The protected paths the configuration at `real_root` lists (relative, `/`-separated).
    Only ever more refusals: a configuration a run planted there could add paths (a write
    refused), never take the defaults away (they are checked apart)."""
    from scriptcontract.config import load_project_config

    try:
        paths = load_project_config(Path(real_root)).sandbox.protected_paths
    except (OSError, ValueError):
        return frozenset()
    return frozenset(os.path.normpath(path).replace(os.sep, "/").strip("/") for path in paths)


def _open_folders(real_root: str, folders: list[str], shown: str, make: bool) -> int:
    directory = os.open(real_root, _DIR_FLAGS)
    try:
        for part in folders:
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=directory)
            except FileNotFoundError:
                if not make:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=directory)
                inner = _open_made(part, directory, shown)
            except OSError as exc:
                raise _refused(exc, shown) from None
            os.close(directory)
            directory = inner
    except BaseException:
        os.close(directory)
        raise
    return directory


def _open_made(part: str, directory: int, shown: str) -> int:
    try:
        return os.open(part, _DIR_FLAGS, dir_fd=directory)
    except OSError as exc:
        raise _refused(exc, shown) from None


def _refused(exc: OSError, shown: str) -> OSError | ProjectWriteError:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return ProjectWriteError(shown, LINK_IN_PATH)
    return exc


def _write_in(
    folder: int, name: str, data: bytes, expect: bytes | _Anything | None, shown: str
) -> None:
    mode = _still(folder, name, expect, shown)
    if expect is None:
        _create(folder, name, data, shown)
        return
    temporary = f".scriptcontract-{os.urandom(8).hex()}.tmp"
    fd = os.open(temporary, _NEW_FLAGS, 0o666 if mode is None else 0o600, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
        _still(folder, name, expect, shown)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _still(folder: int, name: str, expect: bytes | _Anything | None, shown: str) -> int | None:
    """Refuse unless the entry is as the caller expects; the mode to keep, if any."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        if isinstance(expect, bytes):
            raise ProjectFileChanged(shown, "it was removed since it was read") from None
        return None
    if expect is None:
        raise ProjectFileChanged(shown, MADE_MEANWHILE)
    if isinstance(expect, _Anything):
        if stat.S_ISDIR(info.st_mode):
            raise ProjectWriteError(shown, "it is a directory, not a regular file")
        return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None
    if stat.S_ISLNK(info.st_mode):
        raise ProjectWriteError(shown, LINK_IN_PATH)
    if not stat.S_ISREG(info.st_mode):  # not opened: a FIFO blocks, a device acts
        raise ProjectWriteError(shown, f"it is {_kind(info.st_mode)}, not a regular file")
    if info.st_size != len(expect) or _read(folder, name, info, len(expect)) != expect:
        raise ProjectFileChanged(shown, "it changed since it was read")
    return stat.S_IMODE(info.st_mode)


def _read(folder: int, name: str, before: os.stat_result, size: int) -> bytes | None:
    """At most `size + 1` bytes of the regular file seen as `before`; None if it was
    replaced meanwhile."""
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            return None
        return handle.read(size + 1)


def _create(folder: int, name: str, data: bytes, shown: str) -> None:
    try:
        fd = os.open(name, _NEW_FLAGS, 0o666, dir_fd=folder)
    except FileExistsError:
        raise ProjectFileChanged(shown, MADE_MEANWHILE) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
        raise


def _write_by_path(
    real_root: str,
    parts: list[str],
    data: bytes,
    expect: bytes | _Anything | None,
    shown: str,
    make_folders: bool,
) -> None:
    """Where there is no `openat` (Windows): the same checks on the resolved path."""
    folder = os.path.join(real_root, *parts[:-1])
    if make_folders:
        os.makedirs(folder, exist_ok=True)
    if os.path.realpath(folder) != folder:
        raise ProjectWriteError(shown, LINK_IN_PATH)
    target = os.path.join(folder, parts[-1])
    if expect is None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(target, flags, 0o666)
        except FileExistsError:
            raise ProjectFileChanged(shown, MADE_MEANWHILE) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    mode = None
    if isinstance(expect, bytes):
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            raise ProjectWriteError(shown, f"it is {_kind(info.st_mode)}, not a regular file")
        with open(target, "rb") as handle:
            if handle.read(len(expect) + 1) != expect:
                raise ProjectFileChanged(shown, "it changed since it was read")
        mode = stat.S_IMODE(info.st_mode)
    temporary = os.path.join(folder, f".scriptcontract-{os.urandom(8).hex()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
