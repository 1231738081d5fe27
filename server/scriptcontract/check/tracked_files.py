"""The files git tracks, which no ignore file leaves out of `check`: as in git itself.

A run may rewrite the project's `.gitignore` in place (a top-level file, not a protected
one) or leave one in any folder it may write: a line `scripts/` and the user's `check`,
their pre-commit hook (which names the staged files, judged with `--force-exclude`),
passed over every script and exited 0. Git leaves out by its ignore files only what it does
not track; so does `check` now: a tracked file is judged by `include` and `exclude` only.
"""

from __future__ import annotations

import os
from pathlib import Path

from scriptcontract.git_queries import git_output


class TrackedFiles:
    """Per folder asked from, the tracked files of its repository and the folders above them."""

    def __init__(self) -> None:
        self._by_start: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def tracked(self, path: Path, *, is_dir: bool, start: Path) -> bool:
        """Whether git tracks `path` (a folder: a file below it), asked from `start`."""
        files, folders = self._of(start)
        if not files:
            return False
        real = os.path.realpath(path)
        return real in (folders if is_dir else files)

    def _of(self, start: Path) -> tuple[frozenset[str], frozenset[str]]:
        key = str(start)
        if key not in self._by_start:
            self._by_start[key] = _list(start)
        return self._by_start[key]


def _list(start: Path) -> tuple[frozenset[str], frozenset[str]]:
    top = git_output(start, "rev-parse", "--show-toplevel")
    listed = git_output(start, "ls-files", "-z", "--full-name") if top else None
    if not top or listed is None:
        return frozenset(), frozenset()  # no git, or no repository: ignore files decide
    base = os.path.realpath(top.strip())
    files = {os.path.join(base, name) for name in listed.split("\0") if name}
    folders: set[str] = set()
    for file in files:
        folder = os.path.dirname(file)
        while folder not in folders and len(folder) > len(base):
            folders.add(folder)
            folder = os.path.dirname(folder)
    return frozenset(files), frozenset(folders)
