"""Remove a run's private temp dir, whatever the script left in it.

The script decides what is in there: a chain of folders deeper than Python's recursion
limit and than the open-file limit, symlinks to anything, FIFOs, folders without
permissions, names that are not UTF-8. `remove_temp_dir` never recurses, never follows a
symlink (every folder is opened relative to its parent with `O_NOFOLLOW`), holds a bounded
number of descriptors (a folder deeper than that is moved up to the top first), and never
raises: what it could not remove comes back as a message for the run's result.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

# Folders open at once; deeper ones are moved up under the top and removed from there.
MAX_OPEN_DIRS = 32
_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_BY_DESCRIPTOR = (
    os.open in os.supports_dir_fd
    and os.unlink in os.supports_dir_fd
    and os.rmdir in os.supports_dir_fd
    and os.rename in os.supports_dir_fd
    and os.scandir in os.supports_fd
    and hasattr(os, "O_NOFOLLOW")
)
_PERMISSION = (errno.EACCES, errno.EPERM)


class _Entries(Protocol):
    """What `os.scandir()` returns: resumable across loops, and closed when done."""

    def __iter__(self) -> Iterator[os.DirEntry[str]]: ...

    def close(self) -> None: ...


@dataclass
class _Folder:
    fd: int
    name: str | None  # in its parent; None for the top
    entries: _Entries


@dataclass
class _Removal:
    top: int
    failures: list[str] = field(default_factory=list)
    given_up: set[tuple[int, int]] = field(default_factory=set)  # (device, inode)
    moved: int = 0

    def fail(self, where: str, exc: OSError, identity: tuple[int, int] | None) -> None:
        self.failures.append(f"{where}: {exc.strerror or exc}")
        if identity is not None:
            self.given_up.add(identity)


def remove_temp_dir(path: str) -> str | None:
    """Remove `path` and all in it. None when everything went, else what is left and why."""
    try:
        os.rmdir(path)  # most runs leave it empty: one call instead of a walk
        return None
    except FileNotFoundError:
        return None
    except OSError:
        pass
    try:
        failures = _remove_by_descriptor(path) if _BY_DESCRIPTOR else _remove_by_path(path)
    except (OSError, RecursionError, ValueError) as exc:  # the walk itself must not raise
        failures = [f"{path}: {exc}"]
    if not failures and not os.path.lexists(path):
        return None
    failures = failures or [f"{path}: still there"]
    more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    return f"The run's private temp dir {path} was not removed entirely: {failures[0]}{more}"


def _remove_by_path(path: str) -> list[str]:
    """Where folders cannot be opened relative to each other (Windows): the library's walk
    (recursive: a tree too deep for it is reported as left, not raised)."""
    shutil.rmtree(path, ignore_errors=True)
    return []


def _remove_by_descriptor(path: str) -> list[str]:
    try:
        top = os.open(path, _DIR_FLAGS)
    except PermissionError:  # the script took its own permissions away
        if not _make_searchable(None, path):
            raise
        top = os.open(path, _DIR_FLAGS)
    removal = _Removal(top)
    stack = [_Folder(top, None, os.scandir(top))]
    try:
        while True:
            folder = stack[-1]
            child = _next_folder(removal, folder, len(stack))
            if child is not None:
                stack.append(child)
                continue
            folder.entries.close()
            if folder.name is None:  # the top: again while folders were moved up into it
                if not removal.moved:
                    break
                removal.moved = 0
                folder.entries = os.scandir(top)
                continue
            stack.pop()
            identity = _identity(folder.fd)
            os.close(folder.fd)
            _remove_entry(removal, stack[-1].fd, folder.name, identity, is_dir=True)
    finally:
        for folder in stack:
            folder.entries.close()
            os.close(folder.fd)
    if not removal.failures:
        try:
            os.rmdir(path)
        except OSError as exc:
            removal.fail(path, exc, None)
    return removal.failures


def _next_folder(removal: _Removal, folder: _Folder, depth: int) -> _Folder | None:
    """Remove `folder`'s entries up to the next sub-folder to go into; None when done."""
    for entry in folder.entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        except OSError as exc:
            removal.fail(entry.name, exc, None)
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in removal.given_up:
            continue
        if not stat.S_ISDIR(info.st_mode):
            _remove_entry(removal, folder.fd, entry.name, identity, is_dir=False)
            continue
        if depth >= MAX_OPEN_DIRS and folder.fd != removal.top:
            _move_up(removal, folder.fd, entry.name, identity)
            continue
        fd = _open_folder(removal, folder.fd, entry.name, identity)
        if fd is None:
            continue
        try:
            return _Folder(fd, entry.name, os.scandir(fd))
        except OSError as exc:
            os.close(fd)
            removal.fail(entry.name, exc, identity)
    return None


def _open_folder(
    removal: _Removal, parent: int, name: str, identity: tuple[int, int]
) -> int | None:
    for attempt in range(2):
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent)
        except OSError as exc:
            if attempt == 0 and exc.errno in _PERMISSION and _make_searchable(parent, name):
                continue
            removal.fail(name, exc, identity)
            return None
    return None


def _make_searchable(parent: int | None, name: str) -> bool:
    """Give a folder without permissions back to its owner, without following a link: an
    `O_PATH` descriptor of the folder itself, changed through its /proc entry (Linux)."""
    if not hasattr(os, "O_PATH"):
        return False
    try:
        fd = os.open(name, os.O_PATH | _DIR_FLAGS, dir_fd=parent)
    except OSError:
        return False
    try:
        os.chmod(f"/proc/self/fd/{fd}", 0o700)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _remove_entry(
    removal: _Removal, parent: int, name: str, identity: tuple[int, int] | None, *, is_dir: bool
) -> None:
    remove = os.rmdir if is_dir else os.unlink
    for attempt in range(2):
        try:
            remove(name, dir_fd=parent)
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            # A folder the script made read-only: its entries cannot go until it is writable.
            if attempt == 0 and exc.errno in _PERMISSION:
                with contextlib.suppress(OSError):
                    os.fchmod(parent, 0o700)
                    continue
            removal.fail(name, exc, identity)
            return


def _move_up(removal: _Removal, parent: int, name: str, identity: tuple[int, int]) -> None:
    """Move a folder too deep to go into under the top, to be removed from there.

    Moving a folder rewrites its `..`: it must be writable, as must the one it leaves.
    """
    for attempt in range(3):
        fresh = f".scriptcontract-deep-{identity[1]}-{attempt}"
        try:
            os.rename(name, fresh, src_dir_fd=parent, dst_dir_fd=removal.top)
            removal.moved += 1
            return
        except OSError as exc:
            if attempt == 0 and exc.errno in _PERMISSION:
                with contextlib.suppress(OSError):
                    os.fchmod(parent, 0o700)
                if _make_searchable(parent, name):
                    continue
            elif attempt < 2 and exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                continue
            removal.fail(name, exc, identity)
            return


def _identity(fd: int) -> tuple[int, int] | None:
    try:
        info = os.fstat(fd)
    except OSError:
        return None
    return info.st_dev, info.st_ino
