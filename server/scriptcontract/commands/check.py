"""`scriptcontract check [PATHS...]`: lint workflow scripts against the contract.

Exit codes: 0 no findings, 1 findings (with `--diff`: something to fix), 2 a usage or
configuration error.

Start-up matters here (on-save hooks, pre-commit): this module and what it imports first
need neither the analyser nor the configuration's validation (and neither imports
pydantic). A file whose content, configuration and tool version are unchanged comes from
the cache; the analyser is imported only for the others.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.check.cache import CACHE_DIR_NAME, Cache, Entry, fingerprint
from scriptcontract.check.discovery import STDIN, Discovery, Project, Target, discover
from scriptcontract.check.formats import ALIASES, FORMATS, Located, render, render_statistics
from scriptcontract.check.records import FileResult, Fixed, Mode
from scriptcontract.config import find_project_root
from scriptcontract.digests import digest

if TYPE_CHECKING:
    from scriptcontract.contract.settings import LintSettings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CONFIG_NAMES = "scriptcontract.toml or [tool.scriptcontract] in pyproject.toml"


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


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
        default="concise",
        metavar="FORMAT",
        help=f"{', '.join(FORMATS)} (default: concise; `text` is concise)",
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
    output.add_argument(
        "--show-fixes",
        action="store_true",
        help="list the fixes applied (with --fix) or that --fix would apply",
    )
    loud = output.add_mutually_exclusive_group()
    loud.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings and nothing else"
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
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to skip (added to the configured ignore)",
    )
    files = parser.add_argument_group("files")
    files.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="GLOBS",
        help="comma-separated globs of files that are not scripts (replaces the configured "
        "exclude)",
    )
    files.add_argument(
        "--extend-exclude",
        action="append",
        default=[],
        metavar="GLOBS",
        help="comma-separated globs of files that are not scripts (added to exclude)",
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        help="judge the files named on the command line like the ones found in directories "
        "(include, exclude, .gitignore): for pre-commit, which names every staged file",
    )
    files.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        help="also look at the files .gitignore and .ignore leave out",
    )
    files.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path of the file whose text `check -` reads from stdin (for its project, "
        "its configuration and the output)",
    )
    fixes = parser.add_argument_group("fixes")
    fix_or_diff = fixes.add_mutually_exclusive_group()
    fix_or_diff.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes (with `check -`, print the fixed text to stdout)",
    )
    fix_or_diff.add_argument(
        "--diff",
        action="store_true",
        help="print what --fix would change, as a diff; exit 1 when there is something",
    )
    run = parser.add_argument_group("running")
    run.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    run.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="worker processes, 1 or more (default: one per core)",
    )
    run.add_argument(
        "--watch", action="store_true", help="check again whenever a file or configuration changes"
    )
    run.add_argument(
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


def _codes(values: Sequence[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _say(message: str) -> None:
    print(f"scriptcontract check: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    reads_stdin = STDIN in args.paths or (args.stdin_filename is not None and not args.paths)
    if args.watch:
        if reads_stdin:
            _say("error: --watch cannot read stdin (`-`)")
            return EXIT_USAGE
        from scriptcontract.check.watch import watch

        cwd = Path.cwd()
        paths = _default_paths(args, cwd)
        return watch([Path(cwd, p) for p in paths], lambda: check(args, paths))
    stdin = None
    if reads_stdin:
        stdin = (sys.stdin.read() if sys.stdin is not None else "", args.stdin_filename)
    return check(args, _default_paths(args, Path.cwd()), stdin)


def _default_paths(args: argparse.Namespace, cwd: Path) -> list[str]:
    paths = [p for p in args.paths if p != STDIN]
    if paths or STDIN in args.paths or args.stdin_filename is not None:
        return paths
    return [str(find_project_root(cwd) or cwd)]


class _Run:
    """One check: which files, from the cache or analysed, and what to print."""

    def __init__(self, args: argparse.Namespace, found: Discovery, mode: Mode) -> None:
        self.args = args
        self.found = found
        self.mode = mode
        self.options = [
            *(f"select={c}" for c in _codes(args.select)),
            *(f"ignore={c}" for c in _codes(args.ignore)),
            *(f"exclude={c}" for c in _codes(args.exclude or [])),
            f"exclude-replaced={args.exclude is not None}",
            *(f"extend-exclude={c}" for c in _codes(args.extend_exclude)),
        ]
        self.caches: dict[str, Cache] = {}
        self.module_digests: dict[str, str | None] = {}
        self.hits = 0

    def cache_for(self, project: Project) -> Cache | None:
        if not self.args.cache or self.mode == "decide":
            return None
        if project.key not in self.caches:
            if self.args.cache_dir:
                directory = Path(self.args.cache_dir)
            else:
                directory = (project.root or Path.cwd()) / CACHE_DIR_NAME
            # The root too: projects may share a --cache-dir, and a path inside one project
            # is another file than the same path inside another.
            options = [*self.options, f"root={project.root or Path.cwd()}"]
            self.caches[project.key] = Cache(
                directory,
                fingerprint(project.table.table, options),
                named=bool(self.args.cache_dir),
            )
        return self.caches[project.key]

    @staticmethod
    def key(target: Target) -> str:
        return ("!" if target.named else "") + (target.relative or target.path)

    def from_cache(self, target: Target) -> FileResult | None:
        if target.text is not None:
            return None
        cache = self.cache_for(self.found.projects[target.settings_key])
        if cache is None or not cache.exists:
            return None
        from scriptcontract.check.sources import read_script
        from scriptcontract.project_files import ProjectFileError

        try:
            raw = read_script(target.path)
        except ProjectFileError:
            return None  # analysed, to report why
        entry = cache.get(self.key(target), digest(raw))
        if entry is None or not self.modules_unchanged(entry.modules):
            return None
        if self.mode != "check" and any(r.fixable for r in entry.records):
            return None  # there is something to fix: analyse it
        self.hits += 1
        return _result_of(target, entry)

    def modules_unchanged(self, modules: dict[str, str | None]) -> bool:
        """Whether each module a cached result depends on is as it was (absent ones too)."""
        from scriptcontract.check.sources import module_digest

        for path, then in modules.items():
            if path not in self.module_digests:
                self.module_digests[path] = module_digest(path)
            if self.module_digests[path] != then:
                return False
        return True

    def settings(self, project: Project) -> LintSettings | str:
        """The project's settings with the command line's on top, or what is wrong."""
        from dataclasses import replace

        from scriptcontract.contract.selection import unknown_selectors

        config = project.config()
        if config.errors:
            return "\n".join(f"configuration error: {error}" for error in config.errors)
        lint = config.lint
        settings = replace(
            lint,
            select=_codes(self.args.select) if self.args.select else lint.select,
            ignore=[*lint.ignore, *_codes(self.args.ignore)],
            exclude=[
                *(_codes(self.args.exclude) if self.args.exclude is not None else lint.exclude),
                *_codes(self.args.extend_exclude),
            ],
        )
        unknown = unknown_selectors(settings)
        if unknown:
            return f"unknown rule code or prefix: {', '.join(sorted(set(unknown)))}"
        return settings

    def store(self, target: Target, result: FileResult) -> None:
        if target.text is not None or result.digest is None or self.mode == "diff":
            return
        cache = self.cache_for(self.found.projects[target.settings_key])
        if cache is not None:
            entry = Entry(
                result.digest, result.checked, result.skipped, result.records, result.modules
            )
            cache.put(self.key(target), entry)


def _result_of(target: Target, entry: Entry) -> FileResult:
    return FileResult(target.shown, entry.checked, entry.records, skipped=entry.skipped)


def check(
    args: argparse.Namespace, paths: list[str], stdin: tuple[str, str | None] | None = None
) -> int:
    started = time.monotonic()
    cwd = Path.cwd()
    found = discover(
        paths,
        cwd,
        force_exclude=args.force_exclude,
        respect_gitignore=args.respect_gitignore,
        stdin=stdin,
    )
    if found.missing:
        for missing in found.missing:
            _say(f"no such file or directory: {missing}")
        return EXIT_USAGE
    mode: Mode = (
        "decide" if args.show_files else "fix" if args.fix else "diff" if args.diff else "check"
    )
    job = _Run(args, found, mode)
    results: list[FileResult | None] = [job.from_cache(t) for t in found.targets]
    misses = [t for t, r in zip(found.targets, results, strict=True) if r is None]
    if misses:
        analysed = _analyse(job, misses)
        if isinstance(analysed, int):
            return analysed
        results = [r if r is not None else analysed.pop(0) for r in results]
    problems = [cache.save() for cache in job.caches.values()]
    for problem in problems:
        if problem and not args.quiet:
            _say(f"warning: {problem}")
    done = [r for r in results if r is not None]
    return _report(args, job, done, time.monotonic() - started)


def _analyse(job: _Run, misses: list[Target]) -> list[FileResult] | int:
    """The results of the files not in the cache, in order; an exit status on a bad config."""
    from scriptcontract.check.runner import check_all, default_jobs

    settings: dict[str, LintSettings] = {}
    for key in dict.fromkeys(t.settings_key for t in misses):
        made = job.settings(job.found.projects[key])
        if isinstance(made, str):
            for line in made.splitlines():
                _say(line)
            return EXIT_USAGE
        settings[key] = made
    jobs = job.args.jobs or default_jobs()
    results = list(check_all(misses, settings, mode=job.mode, jobs=jobs))
    for target, result in zip(misses, results, strict=True):
        job.store(target, result)
    return results


def _report(args: argparse.Namespace, job: _Run, results: list[FileResult], took: float) -> int:
    fmt = ALIASES.get(args.output_format, args.output_format)
    checked = [r for r in results if r.checked]
    if args.show_files:
        sys.stdout.write("".join(f"{r.shown}\n" for r in sorted(checked, key=lambda r: r.shown)))
        if not args.quiet:
            _explain(job, results, listing=True)
        return EXIT_CLEAN
    for result in results:
        if result.note and not args.quiet:
            _say(f"{result.shown}: {result.note}")
    located: list[Located] = sorted(
        ((r.shown, f) for r in checked for f in r.records),
        key=lambda item: (item[0], item[1].line, item[1].column),
    )
    if args.verbose:
        _verbose(job, results, took)
    stdin_fixed = [r for r in results if r.fixed_text is not None]
    if args.diff:
        return _report_diff(args, checked, located)
    color = _use_color(args.color, sys.stdout)
    if stdin_fixed:
        # As formatters do: the fixed text on stdout, what is left on stderr.
        sys.stdout.write(stdin_fixed[0].fixed_text or "")
        sys.stderr.write(render(fmt, located, checked=[r.shown for r in checked]))
    elif args.statistics:
        sys.stdout.write(render_statistics(located, fmt))
    else:
        sys.stdout.write(render(fmt, located, checked=[r.shown for r in checked], color=color))
    if args.show_fixes and fmt in ("concise", "full"):
        sys.stdout.write(_fixes_listing(args, checked, located))
    if not args.quiet:
        if not checked:
            _explain(job, results, listing=False)
        elif fmt in ("concise", "full") or args.statistics:
            _summary(args, checked, located)
    if located and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _report_diff(
    args: argparse.Namespace, checked: list[FileResult], located: list[Located]
) -> int:
    diffs = [r for r in checked if r.diff]
    sys.stdout.write("".join(r.diff for r in sorted(diffs, key=lambda r: r.shown)))
    fixes = sum(len(r.fixed) for r in checked)
    if not args.quiet:
        if fixes:
            scripts = _plural(len(diffs), "script")
            left = f", {_plural(len(located), 'finding')} would remain" if located else ""
            _summary_line(f"would fix {_plural(fixes, 'finding')} in {scripts}{left}")
        else:
            _summary_line(f"nothing to fix in {_plural(len(checked), 'script')}")
    return EXIT_FINDINGS if diffs else EXIT_CLEAN


def _fixes_listing(
    args: argparse.Namespace, checked: list[FileResult], located: list[Located]
) -> str:
    if args.fix:
        title = "Fixed"
        per_file = {r.shown: r.fixed for r in checked if r.fixed}
    else:
        title = "Would fix with --fix"
        per_file = {}
        for path, f in located:
            for fix in f.fixes:
                if fix.safe:
                    per_file.setdefault(path, []).append(Fixed(f.code, fix.title))
                    break
    if not per_file:
        return f"\n{title}: nothing.\n"
    count = sum(len(items) for items in per_file.values())
    lines = [f"\n{title} {_plural(count, 'finding')}:"]
    for path in sorted(per_file):
        lines.append(f"  {path}:")
        tally: dict[Fixed, int] = {}
        for item in per_file[path]:
            tally[item] = tally.get(item, 0) + 1
        for item, times in tally.items():
            lines.append(f"    {times} x {item.code} ({item.title})")
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _summary_line(text: str) -> None:
    print(f"scriptcontract: {text}", file=sys.stderr)


def _summary(args: argparse.Namespace, checked: list[FileResult], located: list[Located]) -> None:
    scripts = _plural(len(checked), "script")
    fixed = sum(len(r.fixed) for r in checked)
    if fixed:
        line = f"fixed {_plural(fixed, 'finding')}, {len(located)} remaining, in {scripts}"
    elif located:
        fixable = sum(1 for _, f in located if f.fixable)
        line = f"found {_plural(len(located), 'finding')} in {scripts}"
        if fixable and not args.fix:
            line += f" ({fixable} fixable with --fix; --diff shows the changes)"
    else:
        line = f"{scripts} checked, no findings"
    _summary_line(line)


REASONS = {
    "include": "not matched by include = {include}",
    "exclude": "matched by exclude = {exclude}",
    "skip-file": "marked `# scriptcontract: skip-file`",
    "outside": "outside the project root",
}


def _reason(job: _Run, reason: str) -> str:
    text = REASONS.get(reason, reason)
    if "{" in text:
        text = text.format(include=_configured(job, "include"), exclude=_configured(job, "exclude"))
    return text


def _explain(job: _Run, results: list[FileResult], *, listing: bool) -> None:
    """Nothing (or not everything) was checked: say what skipped which files, and what to do."""
    skipped: dict[str, list[str]] = {}
    for result in results:
        if not result.checked and result.skipped:
            skipped.setdefault(result.skipped, []).append(result.shown)
    ignored = job.found.ignored
    if listing and not skipped and not ignored:
        return
    lines = ["not checked:" if listing else "no workflow scripts checked"]
    if not results and not ignored:
        lines.append("  no Python files found")
    for reason, files in skipped.items():
        lines.append(f"  {_plural(len(files), 'file')} {_reason(job, reason)}: {_some(files)}")
    if ignored:
        lines.append(f"  {len(ignored)} left out by .gitignore or .ignore: {_some(ignored)}")
    lines.append(
        "To check a file anyway: name it (scriptcontract check FILE), add it to `include` in "
        f"{CONFIG_NAMES}, or put `# scriptcontract: script` in it."
    )
    _summary_line("\n".join(lines))


def _configured(job: _Run, key: str) -> str:
    import json

    values: list[str] = []
    for project in job.found.projects.values():
        value = project.table.table.get(key)
        if isinstance(value, list):
            values += [str(v) for v in value]
        elif key == "include":
            from scriptcontract.contract.settings import DEFAULT_INCLUDE

            values += DEFAULT_INCLUDE
    return json.dumps(list(dict.fromkeys(values)))


def _some(files: list[str], limit: int = 3) -> str:
    shown = ", ".join(sorted(files)[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


def _verbose(job: _Run, results: list[FileResult], took: float) -> None:
    for project in job.found.projects.values():
        where = str(project.root) if project.root is not None else "no project root"
        source = project.table.source or "defaults (no configuration file)"
        _say(f"project {where}: configuration from {source}")
    for result in results:
        if not result.checked:
            _say(f"skipped {result.shown}: {_reason(job, result.skipped or '')}")
    for path in job.found.ignored:
        _say(f"skipped {path}: .gitignore or .ignore")
    analysed = len(results) - job.hits
    _say(
        f"{_plural(job.hits, 'unchanged file')} from the cache, {analysed} analysed, "
        f"in {took:.2f} s"
    )


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
