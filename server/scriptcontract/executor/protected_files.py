"""Project files a run may not change: snapshot before the run, put back after it.

Some files in the project are read by programs that run *outside* the sandbox: the
project's own scriptcontract configuration (the next run's sandbox policy), git's hooks and
config (run at the user's next commit), direnv's `.envrc`, the editor's tasks and settings.
Landlock cannot take one file out of a writable tree, so the executor guards them itself:
it records them before the run and, once every process of the run is dead, restores what
changed (removing what was added) and says so in the result.

Contents are cached by (inode, size, mtime, ctime), so a run whose guarded files did not
change since the last run only pays for a few `lstat` calls.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

# Files and directories (relative to the project root) that configure or run code outside
# the sandbox.
DEFAULT_PROTECTED = (
    "pyproject.toml",
    "scriptcontract.toml",
    ".git/config",
    ".git/hooks",
    ".envrc",
    ".pre-commit-config.yaml",
    ".vscode",
)
# Beyond these, a guarded tree is not snapshotted (the result says it was not guarded).
MAX_ENTRIES = 2000
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    kind: str  # "file", "dir", "link"
    mode: int
    key: tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns: changes on any write
    content: bytes = b""  # the file's bytes or the link's target


Snapshot = dict[str, Entry | None]  # relative path -> entry (None: did not exist)


class ProtectedFiles:
    """Guards `paths` (relative to `root`) across runs of one executor."""

    def __init__(self, root: Path, paths: list[str] | tuple[str, ...] = DEFAULT_PROTECTED) -> None:
        self.root = root
        self._root = os.fspath(root) + os.sep  # strings: a snapshot is taken twice a run
        self.paths = [p.strip("/") for p in paths if p.strip("/")]
        self._cache: dict[str, Entry] = {}

    def snapshot(self) -> Snapshot:
        snap: Snapshot = {}
        budget = [MAX_ENTRIES, MAX_BYTES]
        for relative in self.paths:
            self._record(relative, snap, budget)
        return snap

    def restore(self, before: Snapshot) -> list[str]:
        """Put back what changed since `before`; the changed paths, sorted."""
        after = self.snapshot()
        changed = sorted(
            path
            for path in before.keys() | after.keys()
            if _signature(before.get(path)) != _signature(after.get(path))
        )
        # Removals deepest first; re-creations parents first, so nothing is written through a
        # directory the script swapped for a symlink.
        for path in sorted(changed, key=lambda p: p.count("/"), reverse=True):
            if before.get(path) is None or _kind(after.get(path)) != _kind(before.get(path)):
                _remove(self.root / path)
        for path in sorted(changed, key=lambda p: p.count("/")):
            entry = before.get(path)
            if entry is not None:
                _put_back(self.root / path, entry)
        return changed

    def _record(self, relative: str, snap: Snapshot, budget: list[int]) -> None:
        path = self._root + relative
        try:
            info = os.lstat(path)
        except OSError:
            snap[relative] = None
            return
        budget[0] -= 1
        key = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        if stat.S_ISDIR(info.st_mode):
            snap[relative] = Entry("dir", stat.S_IMODE(info.st_mode), (info.st_ino, 0, 0, 0))
            try:
                names = sorted(os.listdir(path))
            except OSError:
                return
            for name in names:
                if budget[0] <= 0 or budget[1] <= 0:
                    return
                self._record(f"{relative}/{name}", snap, budget)
            return
        cached = self._cache.get(relative)
        if cached is not None and cached.key == key:
            snap[relative] = cached
            budget[1] -= len(cached.content)
            return
        try:
            if stat.S_ISLNK(info.st_mode):
                entry = Entry("link", 0, key, os.fsencode(os.readlink(path)))
            elif stat.S_ISREG(info.st_mode) and info.st_size <= budget[1]:
                entry = Entry("file", stat.S_IMODE(info.st_mode), key, _read_nofollow(path))
            else:
                return  # a fifo, a device, or too big to keep: not guarded
        except OSError:
            return
        budget[1] -= len(entry.content)
        self._cache[relative] = entry
        snap[relative] = entry


def _read_nofollow(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _signature(entry: Entry | None) -> object:
    if entry is None:
        return None
    if entry.kind == "dir":
        return ("dir", entry.mode, entry.key[0])
    return (entry.kind, entry.mode, entry.key)


def _kind(entry: Entry | None) -> str | None:
    return None if entry is None else entry.kind


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _put_back(path: Path, entry: Entry) -> None:
    if entry.kind == "dir":
        if not path.is_dir() or path.is_symlink():
            _remove(path)
            path.mkdir(mode=entry.mode)
        os.chmod(path, entry.mode)
        return
    temporary = path.with_name(f".{path.name}.scriptcontract-restore")
    _remove(temporary)
    if entry.kind == "link":
        os.symlink(os.fsdecode(entry.content), temporary)
    else:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, entry.mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(entry.content)
        os.chmod(temporary, entry.mode)
    # Replacing (not writing through) the path: a symlink the script put there is not followed.
    os.replace(temporary, path)
