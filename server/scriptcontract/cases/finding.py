"""Which cases files `scriptcontract test` runs, and so every editor's "test all".

One search for all of them: an editor that walked the workspace its own way ran cases
files `test` passes over (in a `.gitignore`d folder, a virtual environment under any name)
and a green run in the editor said nothing of the CI's. Folders are walked as `check` walks
them (check/discovery.py): VCS data, caches and virtual environments are passed over, and
what `.gitignore` and `.ignore` files leave out, unless git tracks it (a run may rewrite an
ignore file, never the index). Each folder's ignore files are read up to its own project's
root, so a nested project's decide below it. A cases file found in a folder is passed over
when `check` passes over its script: its path matches no `include` glob of its project or
an `exclude` glob (with `test`'s `--exclude` and `--extend-exclude`, as `check`'s), unless
the script opts in with `# scriptcontract: script`; or it carries
`# scriptcontract: skip-file`. A configuration nobody vouched for (`nested_configs`) leaves
nothing out by its globs, as a run may have written it to hide the cases. A file named is
run whatever `include` and `exclude` say, as `check` checks a file named, unless
`--force-exclude`; `skip-file` wins there too, as in `check`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from scriptcontract.cases.files import cases_path, is_cases_file, script_path
from scriptcontract.check.discovery import SKIPPED_DIRS
from scriptcontract.check.ignore_files import IgnoreFiles
from scriptcontract.check.tracked_files import TrackedFiles
from scriptcontract.config import find_project_root, validate_table
from scriptcontract.contract.script_files import SKIP_FILE, script_decision
from scriptcontract.contract.settings import LintSettings
from scriptcontract.nested_configs import STARTED_IN, check_top, read_vouched

# What an unvouched configuration stands for: every script's cases run.
EVERY_FILE = LintSettings(include=["**"])
# Why a cases file was passed over, beside `script_files`' reasons for its script.
IGNORED = "ignored"  # `.gitignore` or `.ignore` leaves it out (named with --force-exclude)


@dataclass(frozen=True)
class Excludes:
    """`test`'s `--exclude` (None: each project's `exclude`), `--extend-exclude` and
    `--force-exclude`, as `check` has them."""

    replaced: list[str] | None = None
    extended: list[str] = field(default_factory=list)
    force: bool = False


def find_cases_files(
    paths: list[str],
    cwd: Path,
    excludes: Excludes | None = None,
    passed_over: list[tuple[Path, str]] | None = None,
) -> tuple[list[Path], list[str]]:
    """Every cases file named or under the directories named, and the paths that are not
    there (or name a script without cases). `passed_over` gets the cases files left out as
    `check` leaves their scripts out, each with why (`script_files`' reasons, or `IGNORED`
    for a file named with `--force-exclude` that an ignore file leaves out)."""
    found: list[Path] = []
    missing: list[str] = []
    rules = _Rules(check_top(cwd), cwd, excludes or Excludes())
    for given in paths:
        start = Path(os.path.abspath(cwd / given))
        named = cases_path(start) if start.suffix == ".py" else start
        if start.is_dir():
            found.extend(_walk(start, rules, passed_over))
        elif (why := rules.named_excluded(named) if start.is_file() else None) is not None:
            if passed_over is not None and named.is_file():  # a script may have no cases
                passed_over.append((named, why))
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

    def __init__(self, top: Path | None, cwd: Path, flags: Excludes) -> None:
        self.ignore = IgnoreFiles()
        self.tracked = TrackedFiles()
        self.top = top  # where a configuration below needs vouching for, as in `check`
        self.cwd = Path(os.path.abspath(cwd))
        self.flags = flags
        self.settings_of: dict[Path | None, LintSettings] = {}

    def settings(self, root: Path | None) -> LintSettings:
        """The `include` and `exclude` of the project at `root`, as the flags make them."""
        if root not in self.settings_of:
            settings = LintSettings()
            if root is not None:
                table, unvouched = read_vouched(root, self.top, STARTED_IN)
                # A configuration a run may have written leaves nothing out by its globs.
                settings = EVERY_FILE if unvouched else validate_table(table).lint
            self.settings_of[root] = settings
        settings = self.settings_of[root]
        replaced = self.flags.replaced
        exclude = [*(settings.exclude if replaced is None else replaced), *self.flags.extended]
        return replace(settings, exclude=exclude)

    def excluded(self, cases: Path, root: Path | None, *, named: bool = False) -> str | None:
        """Why `check` passes over the script of `cases`, if it does: `include`, `exclude`
        (as the flags make it) and the markers `# scriptcontract: script` and `skip-file`
        (`named`: only `skip-file`, as for a file named to `check`)."""
        # As `check`: relative to the project root, else to the folder it was started in.
        base = root if root is not None else self.cwd
        script = script_path(cases)
        try:
            relative: str | None = script.relative_to(base).as_posix()
        except ValueError:
            relative = None
        # A script outside any base is judged by its markers alone, as a file named to `check`.
        return script_decision(
            relative, _source(base, script), self.settings(root), named=named or relative is None
        )

    def named_excluded(self, cases: Path) -> str | None:
        """Why a cases file named (or the script named) is left out, if it is: its script
        carries `skip-file`, or, with `--force-exclude`, it is left out as one found in a
        folder would be."""
        root = find_project_root(Path(os.path.abspath(cases)).parent)
        if not self.flags.force:
            return SKIP_FILE if self.excluded(cases, root, named=True) == SKIP_FILE else None
        if self.left_out(cases, root):
            return IGNORED
        return self.excluded(cases, root)

    def left_out(self, path: Path, top: Path | None, *, is_dir: bool = False) -> bool:
        if not self.ignore.ignored(path, is_dir=is_dir, top=top):
            return False
        return not self.tracked.tracked(path, is_dir=is_dir, start=top or path.parent)


def _source(base: Path, script: Path) -> str | None:
    """The script's text, decoded as Python does, to look for its markers; None when it
    cannot be read as a project file (only its path decides, as in `check`)."""
    from scriptcontract.check.sources import MAX_SCRIPT_BYTES, decode
    from scriptcontract.project_files import ProjectFileError, read_project_file

    try:
        return decode(read_project_file(base, script, max_bytes=MAX_SCRIPT_BYTES))
    except (ProjectFileError, UnicodeDecodeError, SyntaxError, LookupError):
        return None


def _walk(top: Path, rules: _Rules, passed_over: list[tuple[Path, str]] | None) -> list[Path]:
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
            if not is_cases_file(path) or not path.is_file() or rules.left_out(path, root):
                continue
            why = rules.excluded(path, root)
            if why is None:
                found.append(path)
            elif passed_over is not None:
                passed_over.append((path, why))
    return found
