"""The checks every hostile case gets: nothing left running, nothing outside touched.

The test process makes itself a child subreaper, so that whatever a script starts, daemons
and double forks included, stays among its descendants instead of drifting to pid 1 (which
here reaps nothing). "Left behind" is then simply: a live descendant that did not exist
before the run and is not the warm runner itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.hostile.arena import Arena, VictimState
from tests.procs import Proc, all_processes

PR_SET_CHILD_SUBREAPER = 36
# Taken at import, before a test points `tempfile.tempdir` at its arena.
_SYSTEM_PATHS_LOCK = Path(tempfile.gettempdir()) / "scriptcontract-tests-system-paths.lock"
_OWN_PATHS = ("/tmp/", "/dev/shm/")  # paths named with the test's own token


@contextlib.contextmanager
def system_paths_held(paths: Iterable[str], *, changes_them: bool) -> Iterator[None]:
    """Held while a test watches a path of the machine's own (`/etc/passwd`) or, alone
    (`changes_them`), while a positive control changes one (a hard link to it, with the
    protection off). Under xdist the two ran at once: the watching test saw the control's
    link (`/etc/passwd` nlink 2 -> 3) as its own script's doing. Shared among watchers."""
    if all(path.startswith(_OWN_PATHS) for path in paths):
        yield
        return
    # Read-only: the unprivileged suite runs after root's, which made the file.
    handle = os.open(_SYSTEM_PATHS_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if changes_them else fcntl.LOCK_SH)
        yield
    finally:
        os.close(handle)  # the lock goes with it


def set_child_subreaper(on: bool) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def descendants(of: int) -> list[Proc]:
    """Every process below `of`, zombies included."""
    children: dict[int, list[Proc]] = {}
    for proc in all_processes():
        children.setdefault(proc.ppid, []).append(proc)
    found: list[Proc] = []
    todo = [of]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def live(procs: Iterable[Proc]) -> list[Proc]:
    return [p for p in procs if p.alive]


def left_behind(me: int, before: set[int], *runners: int | None) -> list[str]:
    """Live descendants of `me` that are new since `before`, none of the `runners` and none
    of the children they keep ready for their next run."""
    left = [
        p
        for p in live(descendants(me))
        if p.pid not in before and p.pid not in runners and not _kept_ready(p, runners)
    ]
    return [f"processes left behind: {left}"] if left else []


def _kept_ready(proc: Proc, runners: tuple[int | None, ...]) -> bool:
    """The child a warm runner forks ahead for its next run: the runner's own child, in the
    runner's process group or, once it has left it, its own. A script's processes stay in
    their run's group (setsid and setpgid are refused), so none of them passes for it."""
    if proc.ppid not in runners:
        return False
    try:
        return os.getpgid(proc.pid) in (os.getpgid(proc.ppid), proc.pid)
    except ProcessLookupError:
        return True  # gone already


def reap_orphan_zombies(known: set[int]) -> None:
    """Reap the zombies reparented to us (the subreaper); never a child someone waits for."""
    me = os.getpid()
    for proc in all_processes():
        if proc.ppid == me and proc.state == "Z" and proc.pid not in known:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, os.WNOHANG)


# --- files ---------------------------------------------------------------------------------

FileState = tuple[object, ...]


def _state(path: Path) -> FileState:
    info = path.lstat()
    kind = stat.S_IFMT(info.st_mode)
    extra: object = None
    if stat.S_ISREG(info.st_mode):
        extra = hashlib.sha256(path.read_bytes()).hexdigest()
    elif stat.S_ISLNK(info.st_mode):
        extra = os.readlink(path)
    try:
        xattrs = tuple(sorted(os.listxattr(path, follow_symlinks=False)))
    except OSError:
        xattrs = ()
    # ctime moves on every change of content or metadata, and no one can set it back.
    return (
        kind,
        stat.S_IMODE(info.st_mode),
        info.st_uid,
        info.st_gid,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_nlink,
        extra,
        xattrs,
    )


def unlink_links_to(base: Path, paths: Iterable[str]) -> None:
    """Removes every file under `base` that is a hard link to one of `paths`."""
    targets = [os.stat(path) for path in paths if os.path.isfile(path)]
    for dirpath, _, filenames in os.walk(base):
        for name in filenames:
            info = os.lstat(os.path.join(dirpath, name))
            if any(os.path.samestat(info, target) for target in targets):
                os.unlink(os.path.join(dirpath, name))


def snapshot(base: Path, skip: Iterable[Path] = ()) -> dict[str, FileState]:
    """Every entry under `base` (and `base` itself) but the `skip` trees, with its state."""
    skipped = {p.resolve() for p in skip}
    result: dict[str, FileState] = {".": _state(base)}
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if (here / d).resolve() not in skipped]
        for name in [*dirnames, *filenames]:
            path = here / name
            if path.resolve() in skipped and not path.is_symlink():
                continue
            result[str(path.relative_to(base))] = _state(path)
    return result


def snapshot_paths(paths: Iterable[str]) -> dict[str, FileState | None]:
    """The state of each path, None where nothing exists."""
    found: dict[str, FileState | None] = {}
    for path in paths:
        try:
            found[path] = _state(Path(path))
        except OSError:
            found[path] = None
    return found


def differences(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
    problems = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            problems.append(f"{name}: removed")
        elif name not in before:
            problems.append(f"{name}: created")
        elif before[name] != after[name]:
            problems.append(f"{name}: changed {before[name]} -> {after[name]}")
    return problems


# --- others ---------------------------------------------------------------------------------


def nobody_reached(arena: Arena, before_victim: VictimState | None) -> list[str]:
    """Whom outside the run a script reached: listeners, the test process, the victim."""
    problems = []
    if arena.listeners is not None:
        reached = arena.listeners.reached()
        if reached:
            problems.append(f"listeners outside the run were reached: {reached}")
    if arena.signals_received:
        problems.append(f"the test process got signals: {arena.signals_received}")
    if arena.victim is not None and before_victim is not None:
        if arena.victim.poll() is not None:
            problems.append(f"the victim process died: {arena.victim.returncode}")
        elif VictimState.of(arena.victim.pid) != before_victim:
            problems.append(
                f"the victim changed: {before_victim} -> {VictimState.of(arena.victim.pid)}"
            )
    return problems


def remove_left_behind(runs: Path) -> None:
    """Remove what a failed case left in the runs folder, with a tool that is not under test.

    A tree deeper than the recursion limit would otherwise break pytest's own clean-up of
    its temporary folders (a recursive `shutil.rmtree`), in this session or a later one.
    """
    for left in runs.iterdir():
        subprocess.run(["chmod", "-R", "u+rwx", "--", str(left)], check=False, capture_output=True)
        subprocess.run(["rm", "-rf", "--", str(left)], check=False, capture_output=True)
