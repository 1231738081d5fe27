"""Which project a file belongs to, and that project's configuration, cached.

Inside a workspace folder, the project root is the nearest directory between the file and
the folder that has a pyproject.toml or scriptcontract.toml, else the folder itself; so
every folder of a multi-root workspace has its own root and configuration. A file outside
every folder uses the nearest such directory above it (else its own directory).

Configurations are cached by root and re-read when a configuration file's size or
modification time changes, or when the client reports a change of one.
"""

from __future__ import annotations

import os
from pathlib import Path

from scriptcontract.config import CONFIG_FILES, ProjectConfig, load_project_config

_Stamp = tuple[tuple[int, int] | None, ...]


def _stamp(root: Path) -> _Stamp:
    stamps: list[tuple[int, int] | None] = []
    for name in CONFIG_FILES:
        try:
            info = os.stat(root / name)
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _has_config(directory: Path) -> bool:
    return any((directory / name).is_file() for name in CONFIG_FILES)


class Projects:
    def __init__(self) -> None:
        self._nearest: dict[Path, Path | None] = {}
        self._configs: dict[Path, tuple[_Stamp, ProjectConfig]] = {}

    def invalidate(self) -> None:
        self._nearest.clear()
        self._configs.clear()

    def root_for(self, path: Path | None, folder: Path | None) -> Path | None:
        """The project root of the file at `path` (None: untitled) in workspace `folder`."""
        if path is None:
            return folder
        directory = path.parent
        nearest = self._nearest_config_dir(directory)
        if folder is not None:
            if nearest is not None and (nearest == folder or folder in nearest.parents):
                return nearest
            return folder
        return nearest if nearest is not None else directory

    def _nearest_config_dir(self, directory: Path) -> Path | None:
        if directory in self._nearest:
            return self._nearest[directory]
        walked: list[Path] = []
        found: Path | None = None
        for candidate in (directory, *directory.parents):
            if candidate in self._nearest:
                found = self._nearest[candidate]
                break
            walked.append(candidate)
            if _has_config(candidate):
                found = candidate
                break
        for candidate in walked:
            self._nearest[candidate] = found
        return found

    def config(self, root: Path | None) -> tuple[ProjectConfig, bool]:
        """The configuration of `root`, and whether it was (re)read just now."""
        if root is None:
            return ProjectConfig(), False
        stamp = _stamp(root)
        cached = self._configs.get(root)
        if cached is not None and cached[0] == stamp:
            return cached[1], False
        config = load_project_config(root)
        self._configs[root] = (stamp, config)
        return config, True
