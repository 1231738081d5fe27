"""Which files `check` looks at, and the project configuration each one belongs to."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from scriptcontract.config import ConfigError, ProjectConfig, find_project_root, load_project_config
from scriptcontract.contract.settings import LintSettings

# Directories never worth descending into: VCS data, caches, virtual environments.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
    }
)


@dataclass(frozen=True)
class Target:
    """One candidate file: where it is, how to show it, and its project's settings."""

    path: str  # as opened (absolute)
    shown: str  # as printed (relative to the working directory when inside it)
    relative: str | None  # relative to its project root, `/`-separated; None: no root
    settings_key: str  # key into `Discovery.settings`
    root: str | None = None  # the project root (None: the file belongs to no project)


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    settings: dict[str, LintSettings] = field(default_factory=dict)
    errors: list[ConfigError] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class _Projects:
    """Project root and configuration per directory, each read once."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.roots: dict[str, Path | None] = {}
        self.configs: dict[str, ProjectConfig] = {}

    def root_of(self, directory: Path) -> Path | None:
        key = str(directory)
        if key not in self.roots:
            self.roots[key] = find_project_root(directory)
        return self.roots[key]

    def config(self, root: Path | None) -> tuple[str, ProjectConfig]:
        key = str(root) if root is not None else ""
        if key not in self.configs:
            self.configs[key] = load_project_config(root) if root is not None else ProjectConfig()
        return key, self.configs[key]


def discover(paths: list[str], cwd: Path) -> Discovery:
    """Every `.py` file under `paths` (files given by name included), with its settings."""
    found = Discovery()
    projects = _Projects(cwd)
    seen: set[str] = set()
    for given in paths:
        start = Path(os.path.abspath(cwd / given))
        if start.is_file():
            _add(found, projects, start, seen)
        elif start.is_dir():
            for file in _walk(start):
                _add(found, projects, file, seen)
        else:
            found.missing.append(given)
    for key, config in projects.configs.items():
        found.settings[key] = config.lint
        found.errors.extend(config.errors)
    return found


def _walk(top: Path) -> list[Path]:
    files: list[Path] = []
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS
            and not d.startswith(".")
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        files.extend(Path(directory, name) for name in sorted(filenames) if name.endswith(".py"))
    return files


def _add(found: Discovery, projects: _Projects, file: Path, seen: set[str]) -> None:
    key_path = str(file)
    if key_path in seen:
        return
    seen.add(key_path)
    root = projects.root_of(file.parent)
    base = root if root is not None else projects.cwd
    try:
        relative: str | None = file.relative_to(base).as_posix()
    except ValueError:
        relative = None
    key, _ = projects.config(root)
    found.targets.append(
        Target(
            key_path,
            _shown(file, projects.cwd),
            relative,
            key,
            str(root) if root is not None else None,
        )
    )


def _shown(file: Path, cwd: Path) -> str:
    try:
        return file.relative_to(cwd).as_posix()
    except ValueError:
        return str(file)
