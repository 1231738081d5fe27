"""`.gitignore` and `.ignore` files, as git reads them, with pathspec's gitignore matching.

Each directory's files apply to the paths below it; a deeper file's patterns (negations
included) win over a shallower one's. The files read are those between a path and the top
of its git work tree, or of its project when it is not in one. Git's global excludes and
`.git/info/exclude` are not read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.project_files import ProjectFileError, read_project_text

if TYPE_CHECKING:
    from scriptcontract.check.ignore_rules import IgnoreRules

IGNORE_FILES = (".gitignore", ".ignore")
# Far above any hand-written ignore file; a run can plant one, and it is read outside the box.
MAX_IGNORE_FILE_BYTES = 1024 * 1024


class IgnoreFiles:
    def __init__(self) -> None:
        self._specs: dict[Path, IgnoreRules | None] = {}
        self._tops: dict[Path, Path] = {}
        self._directories: dict[tuple[Path, Path], bool] = {}

    def ignored(self, path: Path, *, is_dir: bool = False, top: Path | None = None) -> bool:
        """True when `path` (or a directory it is in, below the top) is ignored.

        `top`: the project root, the highest directory read when `path` is not in a git
        work tree.
        """
        highest = self._top(path.parent, top)
        if path == highest:
            return False
        if highest not in path.parents:
            return self._matches(path, highest, is_dir=is_dir)
        # An ignored directory hides everything in it.
        return self._directory_ignored(path.parent, highest) or self._matches(
            path, highest, is_dir=is_dir
        )

    def _directory_ignored(self, directory: Path, highest: Path) -> bool:
        """Kept: the files of a directory share its verdict and those above it."""
        if directory == highest:
            return False
        key = (directory, highest)
        if key not in self._directories:
            self._directories[key] = self._directory_ignored(
                directory.parent, highest
            ) or self._matches(directory, highest, is_dir=True)
        return self._directories[key]

    def _matches(self, path: Path, highest: Path, *, is_dir: bool) -> bool:
        verdict = False
        directories = [d for d in reversed(path.parents) if d == highest or highest in d.parents]
        for directory in directories:
            spec = self._spec(directory)
            if spec is None:
                continue
            relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            include = spec.include(relative)
            if include is not None:
                verdict = include
        return verdict

    def _top(self, directory: Path, project: Path | None) -> Path:
        if directory not in self._tops:
            found = None
            for candidate in (directory, *directory.parents):
                if (candidate / ".git").exists():
                    found = candidate
                    break
            self._tops[directory] = found or project or directory
        return self._tops[directory]

    def _spec(self, directory: Path) -> IgnoreRules | None:
        if directory not in self._specs:
            lines: list[str] = []
            for name in IGNORE_FILES:
                # A run may leave a symbolic link here (to /dev/zero: read until memory ran
                # out; to /dev/stdin: waited for the terminal): only a regular file of this
                # folder is read, never through a link out of it (git follows none).
                try:
                    text = read_project_text(directory, name, max_bytes=MAX_IGNORE_FILE_BYTES)
                except ProjectFileError:
                    continue
                lines += text.splitlines()
            rules = None
            if lines:
                # Here: without ignore files, a check all from the cache imports no analysis.
                from scriptcontract.check.ignore_rules import IgnoreRules

                rules = IgnoreRules(lines, directory)
            self._specs[directory] = rules
        return self._specs[directory]
