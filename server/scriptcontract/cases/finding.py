"""Which cases files `scriptcontract test` runs, and so every editor's "test all".

One search for all of them: an editor that walked the workspace its own way ran cases
files `test` passes over (in a `.gitignore`d folder, a virtual environment under any name)
and a green run in the editor said nothing of the CI's. Folders are walked as `check` walks
them (check/discovery.py): VCS data, caches and virtual environments are passed over, and
what `.gitignore` and `.ignore` files leave out, unless git tracks it (a run may rewrite an
ignore file, never the index). Each folder's ignore files are read up to its own project's
root, so a nested project's decide below it. A cases file found in a folder is passed over
when `check` passes over its script by the project's `exclude` globs (the script's path, not
its markers: the search reads no script); a configuration nobody vouched for
(`nested_configs`) leaves nothing out, as a run may have written it to hide the cases.
A file named is run whatever `exclude` says, as `check` checks a file named.
"""

from __future__ import annotations

import os
from pathlib import Path

from scriptcontract.cases.files import cases_path, is_cases_file, script_path
from scriptcontract.check.discovery import SKIPPED_DIRS
from scriptcontract.check.ignore_files import IgnoreFiles
from scriptcontract.check.tracked_files import TrackedFiles
from scriptcontract.config import find_project_root, validate_table
from scriptcontract.contract.globs import matches_any
from scriptcontract.nested_configs import STARTED_IN, check_top, read_vouched


def find_cases_files(paths: list[str], cwd: Path) -> tuple[list[Path], list[str]]:
    """Every cases file named or under the directories named, and the paths that are not
    there (or name a script without cases)."""
    found: list[Path] = []
    missing: list[str] = []
    rules = _Rules(check_top(cwd))
    for given in paths:
        start = Path(os.path.abspath(cwd / given))
        if start.is_dir():
            found.extend(_walk(start, rules))
        elif is_cases_file(start) and start.is_file():
            found.append(start)
        elif start.suffix == ".py" and start.is_file():
            if cases_path(start).is_file():
                found.append(cases_path(start))
            else:
                name = cases_path(Path(given)).name
                how = f"add one with `scriptcontract run {given} --inputs ... --save-case NAME`"
                missing.append(f"{given} has no cases: {name} does not exist; {how}")
        elif not start.exists():
            missing.append(f"{given} does not exist")
        else:
            missing.append(f"{given} is neither a cases file, a script nor a directory")
    unique = list(dict.fromkeys(found))
    return unique, missing


class _Rules:
    """The ignore files, git's index and each project's `exclude`, read once per search."""

    def __init__(self, top: Path | None) -> None:
        self.ignore = IgnoreFiles()
        self.tracked = TrackedFiles()
        self.top = top  # where a configuration below needs vouching for, as in `check`
        self.excludes: dict[Path, list[str]] = {}

    def excluded(self, cases: Path, root: Path | None) -> bool:
        """Whether `check` passes over the script of `cases` by its project's `exclude`."""
        if root is None:
            return False
        if root not in self.excludes:
            table, unvouched = read_vouched(root, self.top, STARTED_IN)
            self.excludes[root] = [] if unvouched else validate_table(table).lint.exclude
        # `root` is at or above the folder the walk found `cases` in.
        return matches_any(script_path(cases).relative_to(root).as_posix(), self.excludes[root])

    def left_out(self, path: Path, top: Path | None, *, is_dir: bool = False) -> bool:
        if not self.ignore.ignored(path, is_dir=is_dir, top=top):
            return False
        return not self.tracked.tracked(path, is_dir=is_dir, start=top or path.parent)


def _walk(top: Path, rules: _Rules) -> list[Path]:
    found = []
    for directory, dirnames, filenames in os.walk(top):
        here = Path(directory)
        root = find_project_root(here)
        dirnames[:] = [
            name
            for name in sorted(dirnames)
            if name not in SKIPPED_DIRS
            and not name.startswith(".")
            and not os.path.exists(os.path.join(directory, name, "pyvenv.cfg"))
            and not rules.left_out(here / name, root, is_dir=True)
        ]
        for name in sorted(filenames):
            path = here / name
            # Regular files only: a FIFO left by a run would hang the read.
            if (
                is_cases_file(path)
                and path.is_file()
                and not rules.left_out(path, root)
                and not rules.excluded(path, root)
            ):
                found.append(path)
    return found
