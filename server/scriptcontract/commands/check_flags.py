"""The flags of `scriptcontract check`, as ruff spells them where ruff has them: what each one
is called, takes and says in `--help`.

Imported on every `check`: nothing here may import the analyser or pydantic.
"""

from __future__ import annotations

import argparse
import os

from scriptcontract.check.cache import CACHE_DIR_NAME
from scriptcontract.check.formats import ALIASES, FORMATS
from scriptcontract.commands.check_report import CONFIG_NAMES


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _switch(
    group: argparse._ActionsContainer,
    flag: str,
    help: str,
    *,
    default: bool = False,
    dest: str | None = None,
) -> None:
    """`--flag` and `--no-flag` (as ruff has them: a hook's `--fix` undone by `--no-fix`)."""
    action = group.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
    action.help = help  # without the "(default: False)" BooleanOptionalAction appends


def exclude_flags(group: argparse._ActionsContainer, judged_by: str) -> None:
    """`--exclude`, `--extend-exclude` and `--force-exclude`: `check`'s, and `test`'s spelt
    and meaning the same (`judged_by`: what judges a file found in a directory)."""
    group.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="GLOBS",
        help="comma-separated globs of files that are not scripts (replaces the configured "
        "exclude)",
    )
    group.add_argument(
        "--extend-exclude",
        action="append",
        default=[],
        metavar="GLOBS",
        help="comma-separated globs of files that are not scripts (added to exclude)",
    )
    _switch(
        group,
        "--force-exclude",
        f"judge the files named on the command line like the ones found in directories {judged_by}",
    )


def register(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        f"Configuration: {CONFIG_NAMES}, at the project root (the nearest directory above "
        "each file with either). A file named here is checked whatever `include` says; "
        "directories are searched for the files `include` names."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check, `-` for stdin (default: the current project)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-format",
        "--format",
        dest="output_format",
        choices=[*FORMATS, *ALIASES],
        default=os.environ.get("SCRIPTCONTRACT_OUTPUT_FORMAT") or "concise",
        metavar="FORMAT",
        help=f"{', '.join(FORMATS)} (default: concise, or SCRIPTCONTRACT_OUTPUT_FORMAT; "
        "`text` is concise)",
    )
    output.add_argument(
        "-o",
        "--output-file",
        metavar="FILE",
        default=os.environ.get("SCRIPTCONTRACT_OUTPUT_FILE") or None,
        help="write the findings (or statistics, files, diff) to FILE instead of stdout "
        "(also SCRIPTCONTRACT_OUTPUT_FILE)",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colours: auto (on a terminal, unless NO_COLOR is set), always or never",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings per rule (as JSON with --output-format json)",
    )
    output.add_argument(
        "--show-files", action="store_true", help="list the files that would be checked, and stop"
    )
    _switch(output, "--show-fixes", "list the fixes applied (with --fix) or that --fix would apply")
    loud = output.add_mutually_exclusive_group()
    loud.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings and nothing else"
    )
    loud.add_argument(
        "-s",
        "--silent",
        action="store_true",
        help="print nothing but errors; the exit status still says whether there are findings",
    )
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say which configuration each project uses, what was skipped and why",
    )
    rules = parser.add_argument_group("rules")
    rules.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to run (replaces the configured select)",
    )
    rules.add_argument(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to run on top of the selected ones",
    )
    rules.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to skip (added to the configured ignore)",
    )
    rules.add_argument(
        "--per-file-ignores",
        action="append",
        default=None,
        metavar="GLOB:CODES",
        help="codes or prefixes not to run in the files GLOB matches (replaces the configured "
        "per-file-ignores; repeatable)",
    )
    rules.add_argument(
        "--extend-per-file-ignores",
        action="append",
        default=[],
        metavar="GLOB:CODES",
        help="the same, added to the configured per-file-ignores",
    )
    rules.add_argument(
        "--target-version",
        metavar="VERSION",
        help="the oldest Python the scripts must run on: 3.N or pyN (replaces target-version)",
    )
    settings = parser.add_argument_group("configuration")
    settings.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="FILE_OR_KEY=VALUE",
        help="a .toml file to use instead of each project's configuration, or a TOML "
        "`KEY = VALUE` pair that overrides one key (repeatable)",
    )
    settings.add_argument(
        "--isolated", action="store_true", help="read no configuration file: the defaults"
    )
    settings.add_argument(
        "--show-settings",
        action="store_true",
        help="print the settings the first file would be checked with, and stop",
    )
    files = parser.add_argument_group("files")
    exclude_flags(
        files, "(include, exclude, .gitignore): for pre-commit, which names every staged file"
    )
    _switch(
        files,
        "--respect-gitignore",
        "pass over the files .gitignore and .ignore leave out (the default); "
        "--no-respect-gitignore looks at them too",
        default=True,
    )
    files.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path of the file whose text `check -` reads from stdin (for its project, "
        "its configuration and the output)",
    )
    fixes = parser.add_argument_group("fixes")
    fix_or_diff = fixes.add_mutually_exclusive_group()
    _switch(
        fix_or_diff,
        "--fix",
        "apply the safe fixes (with `check -`, print the fixed text to stdout); --no-fix "
        "undoes an earlier --fix",
    )
    fix_or_diff.add_argument(
        "--diff",
        action="store_true",
        help="print what --fix would change, as a diff; exit 1 when there is something",
    )
    _switch(
        fixes,
        "--fix-only",
        "apply the fixes and report only what was fixed, not what is left; exit 0 unless "
        "--exit-non-zero-on-fix",
    )
    _switch(
        fixes,
        "--unsafe-fixes",
        "also apply (with --fix, --fix-only, --diff) and count as fixable the fixes that "
        "may change what the script does",
    )
    fixes.add_argument(
        "--add-noqa",
        action="store_true",
        help="add a `# scriptcontract: ignore[CODES]` comment to each line with findings "
        "(ruff's --add-noqa), to fix them later; exit 0",
    )
    run = parser.add_argument_group("running")
    run.add_argument(
        "-e", "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    run.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="exit 1 when a fix was applied, even when no finding is left",
    )
    run.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="worker processes, 1 or more (default: one per core)",
    )
    run.add_argument(
        "-w",
        "--watch",
        action="store_true",
        help="check again whenever a file or configuration changes",
    )
    run.add_argument(
        "-n",
        "--no-cache",
        dest="cache",
        action="store_false",
        help=f"analyse every file again, and keep no {CACHE_DIR_NAME}",
    )
    run.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=os.environ.get("SCRIPTCONTRACT_CACHE_DIR"),
        help=f"where the cache lives (default: {CACHE_DIR_NAME} at each project root; "
        "also SCRIPTCONTRACT_CACHE_DIR)",
    )
