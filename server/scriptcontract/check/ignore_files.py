"""`.gitignore` and `.ignore` files, as git reads them, with pathspec's gitignore matching.

Each directory's files apply to the paths below it; a deeper file's patterns (negations
included) win over a shallower one's. The files read are those between a path and the top
of its git work tree, or of its project when it is not in one. Git's global excludes and
`.git/info/exclude` are not read.
"""

from __future__ import annotations

from pathlib import Path

from scriptcontract.check.ignore_rules import IgnoreRules

IGNORE_FILES = (".gitignore", ".ignore")


class IgnoreFiles:
    def __init__(self) -> None:
        self._specs: dict[Path, IgnoreRules | None] = {}
        self._tops: dict[Path, Path] = {}

    def ignored(self, path: Path, *, is_dir: bool = False, top: Path | None = None) -> bool:
        """True when `path` (or a directory it is in, below the top) is ignored.

        `top`: the project root, the highest directory read when `path` is not in a git
        work tree.
        """
        highest = self._top(path.parent, top)
        chain = [path, *path.parents]
        below = chain[: chain.index(highest)] if highest in chain else [path]
        # Outermost first: an ignored directory hides everything in it.
        for index, item in enumerate(reversed(below)):
            last = index == len(below) - 1
            if self._matches(item, highest, is_dir=is_dir if last else True):
                return True
        return False

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
                try:
                    lines += (directory / name).read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    continue
            self._specs[directory] = IgnoreRules(lines, directory) if lines else None
        return self._specs[directory]
