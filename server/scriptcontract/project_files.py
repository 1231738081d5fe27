"""Read a file of the project that a script could have planted, swapped or replaced.

A run may leave anything where the server and the executor later look: a symlink to the
user's keys in place of an inputs file, a FIFO where a traceback says a module is, a
directory swapped for a symlink between a check and an open. `read_project_file` reads only
regular files, only inside the project, without ever following a symlink out of it (also
when one appears while it reads), without blocking, and at most a size the caller chooses.
Every refusal is a `ProjectFileError` with a message for the user; nothing else is raised.

Symlinks that stay inside the project are fine: the path is resolved first and must land
inside the root, then every component of the resolved path is opened again relative to its
parent's descriptor without following links, so a link swapped in meanwhile is refused
instead of followed.
"""

from __future__ import annotations

import errno
import os
import stat

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# A FIFO opened this way returns at once instead of waiting for a writer; a terminal never
# becomes the server's controlling terminal.
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_DIR_FLAGS = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC
_READ_CHUNK = 1024 * 1024
# Where the platform has no `openat` (Windows), the checks are made on the resolved path
# just before and after the open instead of on each component.
_WALKS_BY_DESCRIPTOR = os.open in os.supports_dir_fd and bool(_O_NOFOLLOW)

CHANGED = "a symbolic link in its path loops, or appeared while it was being read"


class ProjectFileError(Exception):
    """A project file that cannot be read safely; `str()` is the message for the user."""

    def __init__(self, shown: str, reason: str, *, missing: bool = False) -> None:
        super().__init__(f"cannot read {shown}: {reason}")
        self.shown = shown
        self.reason = reason
        self.missing = missing  # it does not exist (callers may fall back to something else)


def read_project_file(
    root: str | os.PathLike[str], path: str | os.PathLike[str], *, max_bytes: int
) -> bytes:
    """The bytes of `path` (relative to `root`, or absolute), a regular file inside `root`.

    Raises `ProjectFileError` when it is missing, outside the project (itself or through a
    symlink), not a regular file (a FIFO, socket, device or directory), larger than
    `max_bytes`, or unreadable.
    """
    shown = _shown(path)
    try:
        real_root, parts = _inside(root, path, shown)
        if _WALKS_BY_DESCRIPTOR:
            return _read_by_descriptor(real_root, parts, shown, max_bytes)
        return _read_by_path(real_root, parts, shown, max_bytes)
    except ProjectFileError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: NUL or unencodable character
        raise ProjectFileError(shown, _explain(exc), missing=_is_missing(exc)) from None


def read_project_text(
    root: str | os.PathLike[str], path: str | os.PathLike[str], *, max_bytes: int
) -> str:
    """`read_project_file` decoded as UTF-8; undecodable text is a `ProjectFileError` too."""
    return decode_text(read_project_file(root, path, max_bytes=max_bytes), path)


def size_text(limit: int) -> str:
    """A size limit as people say it: `10 MiB`, `64 KiB`, `100 bytes`."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


def _shown(path: str | os.PathLike[str]) -> str:
    # A message must survive being encoded as UTF-8 (a result, a diagnostic, a log line).
    text = os.fspath(path)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _inside(
    root: str | os.PathLike[str], path: str | os.PathLike[str], shown: str
) -> tuple[str, list[str]]:
    """The resolved root, and the components of the resolved path below it."""
    real_root = os.path.realpath(root)
    given = os.fspath(path)
    candidate = given if os.path.isabs(given) else os.path.join(real_root, given)
    real = os.path.realpath(candidate)
    relative = os.path.relpath(real, real_root)
    if relative == os.curdir:
        raise ProjectFileError(shown, "it is the project folder, not a file")
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        lexical = os.path.relpath(os.path.normpath(candidate), os.path.normpath(root))
        if lexical == os.pardir or lexical.startswith(os.pardir + os.sep):
            raise ProjectFileError(shown, "it is outside the project")
        raise ProjectFileError(shown, "a symbolic link in its path leads outside the project")
    return real_root, relative.split(os.sep)


def _read_by_descriptor(real_root: str, parts: list[str], shown: str, max_bytes: int) -> bytes:
    directory = os.open(real_root, _DIR_FLAGS)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=directory)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    info = os.stat(part, dir_fd=directory, follow_symlinks=False)
                    if stat.S_ISLNK(info.st_mode):
                        raise ProjectFileError(shown, CHANGED) from None
                raise
            os.close(directory)
            directory = inner
        name = parts[-1]
        # Looked at before it is opened: a device is never opened at all.
        before = os.stat(name, dir_fd=directory, follow_symlinks=False)
        _check_kind(before, shown, max_bytes)
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=directory)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ProjectFileError(shown, CHANGED) from None
            raise
    finally:
        os.close(directory)
    return _read_open(fd, before, shown, max_bytes)


def _read_by_path(real_root: str, parts: list[str], shown: str, max_bytes: int) -> bytes:
    path = os.path.join(real_root, *parts)
    before = os.lstat(path)
    _check_kind(before, shown, max_bytes)
    fd = os.open(path, _FILE_FLAGS | getattr(os, "O_BINARY", 0))
    return _read_open(fd, before, shown, max_bytes)


def _read_open(fd: int, before: os.stat_result, shown: str, max_bytes: int) -> bytes:
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise ProjectFileError(shown, "it was replaced while it was being read")
        _check_kind(now, shown, max_bytes)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(_READ_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew since fstat
            raise ProjectFileError(shown, f"it is larger than {size_text(max_bytes)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _check_kind(info: os.stat_result, shown: str, max_bytes: int) -> None:
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise ProjectFileError(shown, CHANGED)
    if not stat.S_ISREG(mode):
        raise ProjectFileError(shown, f"it is {_kind(mode)}, not a regular file")
    if info.st_size > max_bytes:
        raise ProjectFileError(shown, f"it is larger than {size_text(max_bytes)}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _is_missing(exc: BaseException) -> bool:
    return isinstance(exc, FileNotFoundError)


def _explain(exc: OSError | ValueError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "it does not exist"
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOTDIR:
            return "a part of its path is not a folder"
        return exc.strerror or str(exc)
    if isinstance(exc, UnicodeError):
        return "its name cannot be a file name (it holds a lone surrogate)"
    return f"its name cannot be a file name ({exc})"


def read_named_file(path: str | os.PathLike[str], *, max_bytes: int) -> bytes:
    """The bytes of a file the user named outside any project: symlinks are followed (the
    user chose the name), everything else is as `read_project_file` reads."""
    shown = _shown(path)
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError) as exc:
        raise ProjectFileError(shown, _explain(exc), missing=_is_missing(exc)) from None
    try:
        return read_project_file(os.path.dirname(real), real, max_bytes=max_bytes)
    except ProjectFileError as exc:
        raise ProjectFileError(shown, exc.reason, missing=exc.missing) from None


def decode_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """`data` as UTF-8 text; undecodable bytes are a `ProjectFileError` naming the file."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(
            _shown(path),
            f"it is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        ) from None


def named_inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether `path`, as named, is in the project at `root`: below the root as spelled or
    as resolved, or in a folder that resolves into it. Such a file is the project's, and is
    read as one (`read_project_file`), whatever its name says."""
    try:
        given = os.path.abspath(path)
        roots = {os.path.abspath(root), os.path.realpath(root)}
        places = {given, os.path.realpath(os.path.dirname(given))}
    except (OSError, ValueError):
        return True  # a name that cannot even be resolved is read the strict way
    return any(_below(place, top) for place in places for top in roots)


def _below(path: str, top: str) -> bool:
    try:
        relative = os.path.relpath(path, top)
    except ValueError:  # another drive
        return False
    return not (relative == os.pardir or relative.startswith(os.pardir + os.sep))
