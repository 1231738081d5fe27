"""The directories a file watch covers: the project's own, never through a symbolic link.

A recursive watch follows the symbolic links it finds: a link that a script planted in the
project (`data/root -> /`, which the sandbox lets it make in a folder it may write) would have
the editor's server or `check --watch` put an inotify watch on every directory of the file
system, spending the user's watch limit (shared with every other program of theirs) and a
walk of the whole disk. So the watches are not recursive: this module lists the directories
itself, in the open (no link followed, the usual caches and environments left out), up to a
bound, and says which events change that list so that the watch can list them again.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Besides these, every folder whose name starts with a dot (.git, .venv, .tox, .mypy_cache...).
IGNORED_NAMES = frozenset(
    {"__pycache__", "node_modules", "venv", "env", "build", "dist", "site-packages"}
)
# Watches are a per-user resource (fs.inotify.max_user_watches, 8,192 on older kernels).
MAX_DIRECTORIES = 4_000


@dataclass(frozen=True)
class Directories:
    paths: tuple[Path, ...]
    truncated: bool  # more directories than MAX_DIRECTORIES: the deepest are not watched


def ignored(name: str) -> bool:
    return name.startswith(".") or name in IGNORED_NAMES


def directories(roots: Iterable[Path], limit: int = MAX_DIRECTORIES) -> Directories:
    """The roots and the directories below them, breadth first (the top levels, where
    scripts and modules live, come first when the bound cuts the list)."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = deque(root for root in roots if root.is_dir())
    while pending:
        if len(found) >= limit:
            return Directories(tuple(found), truncated=True)
        current = pending.popleft()
        try:
            status = current.stat()
        except OSError:
            continue
        if (status.st_dev, status.st_ino) in seen:
            continue  # two roots, one inside the other
        seen.add((status.st_dev, status.st_ino))
        found.append(current)
        try:
            with os.scandir(current) as entries:
                children = sorted(
                    Path(entry.path)
                    for entry in entries
                    if not ignored(entry.name) and entry.is_dir(follow_symlinks=False)
                )
        except OSError:
            continue  # gone, or not ours to read: nothing below it is watched
        pending.extend(children)
    return Directories(tuple(found), truncated=False)


def has_new_directory(paths: Iterable[str], watched: Iterable[Path]) -> bool:
    """Whether the paths an event batch names hold a directory not watched yet: its files
    need a watch of their own (the watches are not recursive), so the list is made again."""
    known = set(watched)
    for text in paths:
        path = Path(text)
        if path in known or ignored(path.name):
            continue
        if not path.is_symlink() and path.is_dir():
            return True
    return False


def files_in(folders: Iterable[Path]) -> list[Path]:
    """The files already in folders just listed (made before their watch started)."""
    found: list[Path] = []
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                found.extend(Path(e.path) for e in entries if e.is_file(follow_symlinks=False))
        except OSError:
            continue
    return found
