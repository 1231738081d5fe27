"""Which project a file belongs to, and that project's configuration, cached.

Inside a workspace folder, the project root is the nearest directory between the file and
the folder that has a pyproject.toml or scriptcontract.toml, else the folder itself; so
every folder of a multi-root workspace has its own root and configuration. A file outside
every folder uses the nearest such directory above it (else its own directory).

A configuration a run could have written (nested below another, or below the top of its
git work tree) counts only once vouched for, by `check`'s own rule
(`scriptcontract.nested_configs`): until then the file is passed over as if it were not
there, so its folder's scripts are linted with the settings of the project around it, and
`Refusal` says why (runs are refused: `configuration.py`).

Configurations are cached by root and re-read when a configuration file's size or
modification time changes, or when the client reports a change of one; a verdict on
vouching also when the trust record or git's index changes. The verdict and the settings
come from one read of each file (`nested_configs.read_vouched`): a script swapping the
file between the two would otherwise have its content used once. A lint stamps each
configuration once (`Projects.lookup`): the read that vouched for the root is the one its
settings come from; a stamp stats the files, the trust record and git's indexes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from scriptcontract.config import CONFIG_FILES, ConfigError, ProjectConfig, ProjectTable

_Stamp = tuple[tuple[int, int] | None, ...]


class Refusal(NamedTuple):
    """A configuration passed over: the file, and why (the CLI's words)."""

    error: ConfigError
    digest: str | None  # of the file's content: a changed file is said again


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _stamp(root: Path) -> _Stamp:
    return tuple(_stat(root / name) for name in CONFIG_FILES)


def _evidence(root: Path) -> _Stamp:
    """What vouching reads besides the files: the trust record and git's indexes (`git add`
    and `scriptcontract trust` change these, not the configuration), a submodule's too."""
    from scriptcontract.nested_configs import git_indexes
    from scriptcontract.trust import default_store

    return (_stat(default_store()), *(_stat(index) for index in git_indexes(root)))


def _has_config(directory: Path) -> bool:
    return any((directory / name).is_file() for name in CONFIG_FILES)


class _Read(NamedTuple):
    """A project's configuration as read once, and the verdict on those very bytes."""

    stamp: _Stamp
    table: ProjectTable
    refusal: Refusal | None


class Lookup(NamedTuple):
    """A file's project as one lint sees it."""

    root: Path | None
    refused: list[Refusal]
    config: ProjectConfig
    fresh: bool  # the configuration was (re)read just now: its errors are new


class Projects:
    def __init__(self) -> None:
        self._nearest: dict[Path, Path | None] = {}
        self._reads: dict[tuple[Path, Path | None], _Read] = {}
        self._configs: dict[tuple[Path, Path | None], tuple[ProjectTable, ProjectConfig]] = {}

    def invalidate(self) -> None:
        self._nearest.clear()
        self._reads.clear()
        self._configs.clear()

    def lookup(self, path: Path | None, folder: Path | None) -> Lookup:
        """The project of the file at `path` (None: untitled) in workspace `folder`: its
        root, the configurations passed over on the way, its configuration and whether that
        was (re)read just now. Each configuration is stamped once: the read that vouched
        for the root's is the one its settings come from."""
        root, refused, read = self._root_for(path, folder)
        if root is None:
            return Lookup(root, refused, ProjectConfig(), False)
        config, fresh = self._config(root, folder, read or self._read(root, folder))
        return Lookup(root, refused, config, fresh)

    def _root_for(
        self, path: Path | None, folder: Path | None
    ) -> tuple[Path | None, list[Refusal], _Read | None]:
        """The root, the configurations passed over, and the root's read when it was read."""
        if path is None:
            return folder, [], None
        refused: list[Refusal] = []
        reads: dict[Path, _Read] = {}
        directory = path.parent
        while True:
            nearest = self._nearest_config_dir(directory)
            if nearest is None:
                break
            if folder is not None and nearest != folder and folder not in nearest.parents:
                nearest = None
                break
            read = reads[nearest] = self._read(nearest, folder)
            if read.refusal is None:
                return nearest, refused, read
            refused.append(read.refusal)
            directory = nearest.parent  # as if its configuration were not there
        root = folder if folder is not None else path.parent
        return root, refused, reads.get(root)  # the folder's own, refused: not read again

    def _read(self, root: Path, folder: Path | None) -> _Read:
        # Stamped before reading: a file changed meanwhile is read again next time.
        stamp = (*_stamp(root), *_evidence(root))
        cached = self._reads.get((root, folder))
        if cached is not None and cached.stamp == stamp:
            return cached
        from scriptcontract.nested_configs import bytes_as_read, digest_of, read_vouched

        table, error = read_vouched(root, folder)
        verdict = None
        if error is not None:
            verdict = Refusal(error, digest_of(bytes_as_read(Path(error.path), table)))
        read = _Read(stamp, table, verdict)
        self._reads[(root, folder)] = read
        return read

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

    def _config(self, root: Path, folder: Path | None, read: _Read) -> tuple[ProjectConfig, bool]:
        """The configuration `read` holds, and whether it was validated just now: the
        defaults when it is not vouched for (a root no other configuration was found for)."""
        if read.refusal is not None:
            return ProjectConfig(), False
        cached = self._configs.get((root, folder))
        if cached is not None and cached[0] is read.table:
            return cached[1], False
        from scriptcontract.config import validate_table

        config = validate_table(read.table)
        self._configs[(root, folder)] = (read.table, config)
        return config, True
