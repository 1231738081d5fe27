"""Which files `check` looks at, and the project each one belongs to.

Directories are walked for `.py` files, passing over VCS data, caches, virtual environments
and whatever `.gitignore` and `.ignore` files say. A file named on the command line is
always looked at (and is a script whatever `include` says) unless `--force-exclude` asks
for it to be judged like a file found by walking, as pre-commit, which names every staged
file, needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from scriptcontract.check.ignore_files import IgnoreFiles
from scriptcontract.check.tracked_files import TrackedFiles
from scriptcontract.config import (
    NO_CONFIGURATION,
    ConfigError,
    ProjectConfig,
    find_project_root,
    validate_table,
)
from scriptcontract.nested_configs import STARTED_IN, check_top, read_vouched
from scriptcontract.shown_values import printable_name

if TYPE_CHECKING:
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
STDIN = "-"


class Target(NamedTuple):
    """One candidate file: where it is, how to show it, and its project's settings."""

    path: str  # as opened (absolute); for stdin, the --stdin-filename or "-"
    shown: str  # as printed (relative to the working directory when inside it)
    relative: str | None  # relative to its project root, `/`-separated; None: no root
    settings_key: str  # key into `Discovery.projects`
    named: bool = False  # named by the user: a script whatever include/exclude say
    text: str | None = None  # the text read from stdin (`check -`)
    root: str | None = None  # the project root (None: the file belongs to no project)


class Project:
    """A project root and its configuration, read raw first and validated when needed."""

    def __init__(self, key: str, root: Path | None, top: Path | None = None) -> None:
        self.key = key
        self.root = root
        # Read once, as the language server reads it: vouching digests the very bytes the
        # settings are parsed from. `top`: the folder check was started in, which stands for
        # the editor's workspace folder (`nested_configs.check_top`).
        self.unvouched: ConfigError | None = None
        if root is None:
            self.table = NO_CONFIGURATION
        else:
            self.table, self.unvouched = read_vouched(root, top, STARTED_IN)
        self._config: ProjectConfig | None = None

    def config(self) -> ProjectConfig:
        if self._config is None:
            self._config = validate_table(self.table)
            if self.unvouched is not None:
                # Fails closed: a configuration a run may have written turns nothing off.
                self._config.errors.append(self.unvouched)
        return self._config

    @property
    def lint(self) -> LintSettings:
        return self.config().lint


class Discovery:
    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.projects: dict[str, Project] = {}
        self.missing: list[str] = []
        self.ignored: list[str] = []  # by .gitignore or .ignore (as shown)


class _Finder:
    def __init__(self, cwd: Path, force_exclude: bool, respect_gitignore: bool) -> None:
        self.cwd = cwd
        self.force_exclude = force_exclude
        self.ignore_files = IgnoreFiles() if respect_gitignore else None
        self.tracked = TrackedFiles()
        self.roots: dict[str, Path | None] = {}
        self.found = Discovery()
        self.seen: set[str] = set()

    def root_of(self, directory: Path) -> Path | None:
        key = str(directory)
        if key not in self.roots:
            self.roots[key] = find_project_root(directory)
        return self.roots[key]

    def project(self, root: Path | None) -> Project:
        key = str(root) if root is not None else ""
        if key not in self.found.projects:
            self.found.projects[key] = Project(key, root, check_top(self.cwd))
        return self.found.projects[key]

    def ignored(self, path: Path, *, is_dir: bool = False) -> bool:
        if self.ignore_files is None:
            return False
        top = self.root_of(path.parent)
        if not self.ignore_files.ignored(path, is_dir=is_dir, top=top):
            return False
        # As in git, ignore files leave out only what git does not track: a run may
        # rewrite .gitignore, never the index.
        return not self.tracked.tracked(path, is_dir=is_dir, start=top or self.cwd)

    def add(self, file: Path, *, named: bool, text: str | None = None) -> None:
        key_path = str(file)
        if key_path in self.seen and text is None:
            return
        self.seen.add(key_path)
        root = self.root_of(file.parent)
        base = root if root is not None else self.cwd
        try:
            relative: str | None = file.relative_to(base).as_posix()
        except ValueError:
            relative = None
        project = self.project(root)
        shown = _shown(file, self.cwd)
        self.found.targets.append(
            Target(
                key_path,
                shown,
                relative,
                project.key,
                named,
                text,
                str(root) if root is not None else None,
            )
        )

    def walk(self, top: Path) -> None:
        for directory, dirnames, filenames in os.walk(top):
            here = Path(directory)
            kept = []
            for name in sorted(dirnames):
                if name in SKIPPED_DIRS or name.startswith("."):
                    continue
                if os.path.exists(os.path.join(directory, name, "pyvenv.cfg")):
                    continue
                if self.ignored(here / name, is_dir=True):
                    self.found.ignored.append(_shown(here / name, self.cwd) + "/")
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                # Regular files only (a link is followed to see): a FIFO, a device or a
                # socket that a run left behind would hang the check or worse.
                if not name.endswith(".py") or not os.path.isfile(here / name):
                    continue
                if not self.stays_in_project(here / name):
                    continue
                if self.ignored(here / name):
                    self.found.ignored.append(_shown(here / name, self.cwd))
                    continue
                self.add(here / name, named=False)

    def stays_in_project(self, file: Path) -> bool:
        """A file found by walking is not read through a symlink out of its project."""
        if not file.is_symlink():
            return True
        base = self.root_of(file.parent) or self.cwd
        real, top = os.path.realpath(file), os.path.realpath(base)
        return real.startswith(top.rstrip(os.sep) + os.sep)


def discover(
    paths: list[str],
    cwd: Path,
    *,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
    stdin: tuple[str, str | None] | None = None,
) -> Discovery:
    """Every `.py` file under `paths` and every file named, with its project.

    `stdin`: the text read from stdin and the `--stdin-filename` it stands for.
    """
    finder = _Finder(cwd, force_exclude, respect_gitignore)
    if stdin is not None:
        text, filename = stdin
        _add_stdin(finder, text, filename)
    for given in paths:
        start = Path(os.path.abspath(cwd / given))
        if start.is_file():
            if force_exclude and finder.ignored(start):
                finder.found.ignored.append(_shown(start, cwd))
                continue
            finder.add(start, named=not force_exclude)
        elif start.is_dir():
            finder.walk(start)
        else:
            finder.found.missing.append(given)
    return finder.found


def _add_stdin(finder: _Finder, text: str, filename: str | None) -> None:
    if filename is None:
        project = finder.project(finder.root_of(finder.cwd))
        finder.found.targets.append(Target(STDIN, STDIN, None, project.key, True, text))
        return
    path = Path(os.path.abspath(finder.cwd / filename))
    if finder.force_exclude and finder.ignored(path):
        finder.found.ignored.append(_shown(path, finder.cwd))
        return
    finder.add(path, named=not finder.force_exclude, text=text)


def _shown(file: Path, cwd: Path) -> str:
    """As every report shows it: a name a run chose (`scripts/\x1b]52;...py`) must not drive
    the user's terminal, nor add lines to a report."""
    try:
        shown = file.relative_to(cwd).as_posix()
    except ValueError:
        shown = str(file)
    return printable_name(shown)
