"""Which parts of the project a run may write: all of it but the protected paths.

Landlock rules only grant, and a grant on a directory covers everything beneath it, so a
writable project root could never hold a read-only `.git`. Instead the root itself is
granted read access only, and write access is granted entry by entry, one level at a
time, down to each protected path, which gets no write grant at all: the kernel then
refuses every change to it (write, create, remove, rename, link, symlink swap), made
through any path, before it happens. The cost is that the top level of the project (and
of each folder on the way to a protected path) keeps its set of entries: a run can write
into `data/` or rewrite `README.md`, but not create or remove a file next to them.

Protected by default: what configures or runs code outside the sandbox without the user
doing anything (version control, the project's and the editor's configuration, direnv,
pre-commit, interpreter selection), and every virtual environment at the top level (a
folder holding `pyvenv.cfg`): its `.pth` files and its interpreter run at the next start.
The executor adds the environments of the runs' interpreter and of its own process wherever
they lie in the project.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_PROTECTED = (
    ".git",
    ".hg",
    ".svn",
    ".jj",
    "pyproject.toml",
    "scriptcontract.toml",
    ".envrc",
    ".direnv",
    ".pre-commit-config.yaml",
    ".vscode",
    ".idea",
    ".zed",
    ".helix",
    ".nvim.lua",
    ".nvimrc",
    ".exrc",
    ".python-version",
    ".tool-versions",
)
# A folder with this file is a virtual environment (PEP 405): protected wherever it is listed.
VENV_MARKER = "pyvenv.cfg"
# Each entry of a listed folder is one Landlock rule; past this the run is refused rather
# than left with a layout the kernel cannot hold.
MAX_ENTRIES = 4096


class LayoutError(Exception):
    """The project cannot be laid out for a run; the message is for the user."""


@dataclass(frozen=True)
class Layout:
    """The grants of one run: `writable` paths get every right beneath them; the listed
    folders (the root and those on the way to a protected path) stay readable only."""

    writable: tuple[str, ...]
    protected: tuple[str, ...]  # relative paths that exist and are kept read-only


def _tree(paths: Iterable[str]) -> dict[str, dict]:  # type: ignore[type-arg]
    """Relative paths as a tree of names; an empty dict marks a protected path (which covers
    everything beneath it, also paths listed inside it)."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for raw in sorted(paths, key=lambda p: p.count("/")):
        parts = [p for p in raw.replace(os.sep, "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            continue
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {"": {}})
            if not child:
                break  # inside a protected folder already
            node = child
        else:
            node[parts[-1]] = {}
    return _without_markers(tree)


def _without_markers(tree: dict[str, dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    # "" marks a folder on the way to a protected path (not protected itself).
    return {name: _without_markers(child) for name, child in tree.items() if name != ""}


class ProjectLayout:
    """Lays out one project's runs; the listing is cached until a listed folder changes."""

    def __init__(self, root: str, protected: Iterable[str] = DEFAULT_PROTECTED) -> None:
        self.root = root
        self.protected = tuple(protected)
        self._tree = _tree(self.protected)
        # The listed folders as (path, inode, mtime) -> the layout they gave.
        self._cached: tuple[tuple[tuple[str, int, int], ...], Layout] | None = None

    def layout(self, extra_protected: Iterable[str] = ()) -> Layout:
        """The grants for a run now. `extra_protected`: more relative paths (the
        interpreter's environment when it lies inside the project)."""
        extra = tuple(extra_protected)
        if not extra and self._cached is not None and self._still_valid(self._cached[0]):
            return self._cached[1]
        tree = _tree((*self.protected, *extra)) if extra else self._tree
        listed: list[tuple[str, int, int]] = []
        writable: list[str] = []
        protected: list[str] = []
        self._carve(self.root, "", tree, listed, writable, protected, top=True)
        result = Layout(tuple(writable), tuple(protected))
        if not extra:
            self._cached = (tuple(listed), result)
        return result

    def _still_valid(self, listed: tuple[tuple[str, int, int], ...]) -> bool:
        for path, inode, mtime in listed:
            try:
                info = os.lstat(path)
            except OSError:
                return False
            if info.st_ino != inode or info.st_mtime_ns != mtime:
                return False
        return True

    def _carve(
        self,
        folder: str,
        relative: str,
        tree: dict[str, dict],  # type: ignore[type-arg]
        listed: list[tuple[str, int, int]],
        writable: list[str],
        protected: list[str],
        *,
        top: bool,
    ) -> None:
        try:
            info = os.lstat(folder)
            with os.scandir(folder) as entries:
                names = [(entry.name, entry.path) for entry in entries]
        except OSError as exc:
            raise LayoutError(f"cannot list {folder}: {exc.strerror or exc}") from None
        if len(names) > MAX_ENTRIES:
            raise LayoutError(
                f"{folder} has {len(names)} entries, more than {MAX_ENTRIES}: the sandbox grants "
                "each entry of a folder on the way to a protected path separately; move files "
                "into subfolders"
            )
        listed.append((folder, info.st_ino, info.st_mtime_ns))
        for name, path in sorted(names):
            shown = f"{relative}{name}"
            child = tree.get(name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue  # gone meanwhile: nothing to grant
            if stat.S_ISLNK(mode):
                continue  # a symlink is never granted: what it names is not the project's
            if child == {} or (top and stat.S_ISDIR(mode) and _is_venv(path)):
                protected.append(shown)
            elif child and stat.S_ISDIR(mode):
                self._carve(path, shown + "/", child, listed, writable, protected, top=False)
            else:
                writable.append(path)


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, VENV_MARKER))


_DENIED = re.compile(r"Permission denied: '((?:[^'\\]|\\.)+)'")


def explain_denied(text: str, root: str, layout: Layout) -> str | None:
    """Why the last write refused in `text` (a traceback or an error message) was refused,
    when the project's layout is why: a protected path, or a new entry at the top level."""
    found = _DENIED.findall(text)
    if not found:
        return None
    named = found[-1]
    path = os.path.normpath(os.path.join(root, named))
    if not (path + os.sep).startswith(root + os.sep) or path == root:
        return None
    relative = os.path.relpath(path, root)
    for protected in layout.protected:
        if relative == protected or relative.startswith(protected + os.sep):
            return (
                f"{protected} is a protected path (sandbox.protected-paths): the sandbox keeps "
                "it read-only to scripts"
            )
    if os.sep not in relative and not os.path.lexists(path):
        return (
            f"{relative} would be a new entry at the project's top level, which the sandbox "
            "keeps as it is (protected paths live there): write into a folder, such as "
            "data/ (create it once if it does not exist)"
        )
    return None
