"""os.chmod and os.utime of a path, through a descriptor: what the system-call filter allows.

The filter refuses every change of mode or times that names a path (chmod, fchmodat,
utimensat with a path...): Landlock does not check them, so they would reach any file the
user owns. A change through an open descriptor (fchmod, futimens) stays allowed, and
Landlock decided whether the file could be opened (in a run as root it is refused too: root
owns the system's files, which a run may open for reading; these functions then say so).
`install()` has `os.chmod` and `os.utime` open a path they are given and change the file
through the descriptor, so that `shutil.copy`, `tarfile`, `Path.touch()` and the like keep
working on what the script may open. A convenience for scripts, not a protection: the
filter is the protection.

Standard library only, Python 3.8 syntax: this runs in the script's interpreter. Linux
only: it is imported where the filter is installed.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any, Callable

THROUGH_A_FILE = (
    "the sandbox changes the mode and times of a file only through the open file, and this "
    "one cannot be opened for reading or writing"
)
LINK_ITSELF = "the sandbox cannot change the times of a symbolic link itself, only of its target"
AS_ROOT = (
    "the sandbox refuses every change of mode and times in a run as root: root owns the "
    "system's files, which a run may open (run scripts as a user to change modes and times)"
)

# As _native writes them (the same on every Linux): errno costs an import per cold run.
EPERM, EACCES = 1, 13
_OPEN_FLAGS = os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY
_UNSET: Any = object()


def install() -> None:
    """Replace os.chmod and os.utime; a second call changes nothing."""
    if getattr(os.chmod, "__wrapped__", None) is not None:
        return
    original_chmod, original_utime = os.chmod, os.utime
    chmod, utime = _chmod(original_chmod), _utime(original_utime)
    # Code that asks which forms are supported (shutil does) must find the new functions.
    # Not among those that can leave a symbolic link unfollowed: shutil then skips a
    # link's own times when it copies one, instead of failing.
    for supported in (os.supports_fd, os.supports_dir_fd):
        for old, new in ((original_chmod, chmod), (original_utime, utime)):
            if old in supported:
                supported.discard(old)
                supported.add(new)
    os.supports_follow_symlinks.discard(original_chmod)
    os.supports_follow_symlinks.discard(original_utime)
    os.chmod, os.utime = chmod, utime


def _chmod(original: Callable[..., None]) -> Callable[..., None]:
    def chmod(
        path: Any, mode: int, *, dir_fd: int | None = None, follow_symlinks: bool = True
    ) -> None:
        if isinstance(path, int):
            original(path, mode, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
            return
        if not follow_symlinks and _is_link(path, dir_fd):
            # As outside the sandbox: Linux has no mode for a link itself.
            raise NotImplementedError("chmod: follow_symlinks unavailable on this platform")
        fd = _open(path, dir_fd, follow_symlinks)
        try:
            os.fchmod(fd, mode)
        except OSError as exc:
            if not _refused_as_root(exc):
                raise OSError(exc.errno, exc.strerror, path) from None
            # Asking for the mode the file has changes nothing: shutil.copy of a file whose
            # mode a new file gets anyway works as root too.
            if os.fstat(fd).st_mode & 0o7777 != mode & 0o7777:
                raise PermissionError(EPERM, AS_ROOT, path) from None
        finally:
            os.close(fd)

    return _like(chmod, original)


def _utime(original: Callable[..., None]) -> Callable[..., None]:
    def utime(
        path: Any,
        times: tuple[float, float] | None = None,
        *,
        ns: Any = _UNSET,
        dir_fd: int | None = None,
        follow_symlinks: bool = True,
    ) -> None:
        # `ns` passed on only when given: the original tells "not given" from None.
        given = {} if ns is _UNSET else {"ns": ns}
        if isinstance(path, int):
            original(path, times, dir_fd=dir_fd, follow_symlinks=follow_symlinks, **given)
            return
        if not follow_symlinks and _is_link(path, dir_fd):
            raise PermissionError(EPERM, LINK_ITSELF, path)
        fd = _open(path, dir_fd, follow_symlinks)
        try:
            original(fd, times, **given)
        except OSError as exc:
            if _refused_as_root(exc):
                raise PermissionError(EPERM, AS_ROOT, path) from None
            raise OSError(exc.errno, exc.strerror, path) from None
        finally:
            os.close(fd)

    return _like(utime, original)


def _open(path: Any, dir_fd: int | None, follow_symlinks: bool) -> int:
    """A descriptor of `path`: for reading, or when that is refused (mode 000, write-only)
    for writing. Errors as os.chmod and os.utime raise them, with the path."""
    flags = _OPEN_FLAGS | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        return os.open(path, flags | os.O_RDONLY, dir_fd=dir_fd)
    except PermissionError:
        pass
    try:
        return os.open(path, flags | os.O_WRONLY, dir_fd=dir_fd)
    except (PermissionError, IsADirectoryError):
        raise PermissionError(EACCES, THROUGH_A_FILE, path) from None


def _refused_as_root(exc: OSError) -> bool:
    """Whether the filter refused a change through a descriptor because the run is root's
    (a user's run gets EPERM from the kernel only for a file it does not own)."""
    return exc.errno == EPERM and os.geteuid() == 0


def _is_link(path: Any, dir_fd: int | None) -> bool:
    try:
        return os.path.islink(path) if dir_fd is None else _lstat_is_link(path, dir_fd)
    except (OSError, ValueError):
        return False


def _lstat_is_link(path: Any, dir_fd: int) -> bool:
    import stat

    return stat.S_ISLNK(os.stat(path, dir_fd=dir_fd, follow_symlinks=False).st_mode)


def _like(wrapper: Callable[..., None], original: Callable[..., None]) -> Callable[..., None]:
    """The wrapper under the original's name and help, so that tracebacks and help() read as
    before."""
    wrapper.__name__ = wrapper.__qualname__ = original.__name__
    wrapper.__doc__ = original.__doc__
    wrapper.__module__ = "os"
    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    return wrapper
