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
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scriptcontract.check.cache import CACHE_DIR_NAME, Cache, Entry, fingerprint
from scriptcontract.check.discovery import STDIN, Discovery, Project, Target, discover
from scriptcontract.check.records import FileResult, Mode
from scriptcontract.commands.check_flag_values import (
    codes,
    per_file_ignores,
    target_version,
    usage_problem,
)
from scriptcontract.commands.check_flags import register
from scriptcontract.commands.check_report import report, say
from scriptcontract.config import find_project_root
from scriptcontract.digests import digest

if TYPE_CHECKING:
    from scriptcontract.contract.settings import LintSettings

# `register` (the flags, in `check_flags`) and `run`: what the command line asks of a command.
__all__ = ["check", "register", "run"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def run(args: argparse.Namespace) -> int:
    problem = usage_problem(args)
    if problem is not None:
        for line in problem.splitlines():
            say(line if line.startswith("configuration error") else f"error: {line}")
        return EXIT_USAGE
    reads_stdin = STDIN in args.paths or (args.stdin_filename is not None and not args.paths)
    if args.watch:
        if reads_stdin:
            say("error: --watch cannot read stdin (`-`)")
            return EXIT_USAGE
        from scriptcontract.check.watch import watch

        cwd = Path.cwd()
        paths = _default_paths(args, cwd)
        configs = [Path(cwd, value) for value in args.config if "=" not in value]
        return watch([Path(cwd, p) for p in paths], lambda: _check_again(args, paths), configs)
    stdin = None
    if reads_stdin:
        stdin = (sys.stdin.read() if sys.stdin is not None else "", args.stdin_filename)
    return check(args, _default_paths(args, Path.cwd()), stdin)


def _check_again(args: argparse.Namespace, paths: list[str]) -> int:
    """A check of `--watch`: a `--config FILE` is read again first, as the projects' own
    files are; what is wrong with it is said, and the watch goes on."""
    from scriptcontract.check.overrides import OverrideError, parse_overrides

    try:
        args.overrides = parse_overrides(args.config, isolated=args.isolated)
    except OverrideError as exc:
        say(f"configuration error: {exc}")
        return EXIT_USAGE
    return check(args, paths)


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
            *(f"select={c}" for c in codes(args.select)),
            *(f"extend-select={c}" for c in codes(args.extend_select)),
            *(f"ignore={c}" for c in codes(args.ignore)),
            *(f"exclude={c}" for c in codes(args.exclude or [])),
            f"exclude-replaced={args.exclude is not None}",
            *(f"extend-exclude={c}" for c in codes(args.extend_exclude)),
            *(f"per-file-ignores={v}" for v in args.per_file_ignores or []),
            f"per-file-ignores-replaced={args.per_file_ignores is not None}",
            *(f"extend-per-file-ignores={v}" for v in args.extend_per_file_ignores),
            f"target-version={args.target_version}",
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
        if target.text is not None or self.args.add_noqa:
            return None  # --add-noqa: findings of the very bytes it will write to
        project = self.found.projects[target.settings_key]
        if project.unvouched is not None:
            return None  # analysed, to say why its configuration is not used
        cache = self.cache_for(project)
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
        unsafe = self.args.unsafe_fixes
        if self.mode != "check" and any(r.fixes if unsafe else r.fixable for r in entry.records):
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

        from scriptcontract.contract.globs import globs_problem, per_file_globs_problem
        from scriptcontract.contract.selection import unknown_selectors

        config = project.config()
        if config.errors:
            return "\n".join(f"configuration error: {error}" for error in config.errors)
        lint = config.lint
        settings = replace(
            lint,
            select=codes(self.args.select) if self.args.select else lint.select,
            # As in ruff, --select starts the selection over: the configured extend-select
            # goes with the configured select.
            extend_select=[
                *([] if self.args.select else lint.extend_select),
                *codes(self.args.extend_select),
            ],
            ignore=[*lint.ignore, *codes(self.args.ignore)],
            per_file_ignores={
                **(lint.per_file_ignores if self.args.per_file_ignores is None else {}),
                **per_file_ignores(self.args.per_file_ignores or []),
                **per_file_ignores(self.args.extend_per_file_ignores),
            },
            target_version=target_version(self.args.target_version) or lint.target_version,
            exclude=[
                *(codes(self.args.exclude) if self.args.exclude is not None else lint.exclude),
                *codes(self.args.extend_exclude),
            ],
        )
        unknown = unknown_selectors(settings)
        if unknown:
            return f"unknown rule code or prefix: {', '.join(sorted(set(unknown)))}"
        # The configuration's globs were checked when it was read: these are the flags'.
        problem = globs_problem(settings.exclude) or per_file_globs_problem(
            settings.per_file_ignores
        )
        if problem:
            return f"{problem} (on the command line)"
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
    if args.output_file is None:
        return _check(args, paths, stdin, sys.stdout)
    # Opened before anything is checked (or fixed): a path that cannot be written is a
    # usage error that changes nothing.
    from scriptcontract.check.report_file import open_report

    try:
        out = open_report(args.output_file, Path.cwd())
    except OSError as exc:
        say(f"error: cannot write --output-file {args.output_file}: {exc.strerror or exc}")
        return EXIT_USAGE
    with out:
        return _check(args, paths, stdin, out)


def _check(
    args: argparse.Namespace,
    paths: list[str],
    stdin: tuple[str, str | None] | None,
    out: TextIO,
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
            # A glob in quotes reaches us unexpanded: the shell expands globs, not check.
            hint = " (a quoted glob? the shell expands globs, check does not)"
            glob = any(c in missing for c in "*?[")
            say(f"no such file or directory: {missing}{hint if glob else ''}")
        return EXIT_USAGE
    from scriptcontract.check.overrides import apply

    for project in found.projects.values():
        project.table = apply(project.table, args.overrides)
    if args.show_settings:
        from scriptcontract.commands.check_settings import show_settings

        return show_settings(_Run(args, found, "decide"), out)
    mode: Mode = (
        "decide"
        if args.show_files
        else "diff"
        if args.diff
        else "fix"
        if args.fix or args.fix_only
        else "check"
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
        if problem and not (args.quiet or args.silent):
            say(f"warning: {problem}")
    done = [r for r in results if r is not None]
    if args.add_noqa:
        return _add_noqa(args, list(zip(found.targets, done, strict=True)))
    return report(args, job, done, time.monotonic() - started, out)


def _analyse(job: _Run, misses: list[Target]) -> list[FileResult] | int:
    """The results of the files not in the cache, in order; an exit status on a bad config."""
    from scriptcontract.check.runner import check_all, default_jobs

    settings: dict[str, LintSettings] = {}
    for key in dict.fromkeys(t.settings_key for t in misses):
        made = job.settings(job.found.projects[key])
        if isinstance(made, str):
            for line in made.splitlines():
                say(line)
            return EXIT_USAGE
        settings[key] = made
    jobs = job.args.jobs or default_jobs()
    unsafe = job.args.unsafe_fixes
    results = list(check_all(misses, settings, mode=job.mode, jobs=jobs, unsafe=unsafe))
    for target, result in zip(misses, results, strict=True):
        job.store(target, result)
    return results


def _add_noqa(args: argparse.Namespace, checked: list[tuple[Target, FileResult]]) -> int:
    """Write a suppression comment for each finding; say what could not get one."""
    from scriptcontract.check.fixer import FileChanged, write_atomically
    from scriptcontract.check.noqa import add_suppressions
    from scriptcontract.check.sources import decode, read_script
    from scriptcontract.check.worker import encode_like
    from scriptcontract.project_files import ProjectFileError

    comments = scripts = 0
    failed = False
    left: list[str] = []
    for target, result in checked:
        if not (result.checked and result.records):
            continue
        try:
            raw = read_script(target.path)
            if digest(raw) != result.digest:
                raise FileChanged(target.path)
            added = add_suppressions(decode(raw), result.records)
            if added.comments:
                write_atomically(target.path, raw, encode_like(added.text, raw), target.root)
        except (ProjectFileError, FileChanged, OSError, UnicodeError, SyntaxError) as exc:
            why = "changed while checked" if isinstance(exc, FileChanged) else str(exc)
            if isinstance(exc, ProjectFileError):
                why = exc.reason
            say(f"{result.shown}: no comment added: {why}")
            failed = True
            continue
        comments += added.comments
        scripts += 1 if added.comments else 0
        left += [f"{result.shown}:{r.line}:{r.column}: {r.code}" for r in added.left]
    if not (args.quiet or args.silent):
        lines = "line" if comments == 1 else "lines"
        print(
            f"scriptcontract: added suppression comments to {comments} {lines} in "
            f"{scripts} script{'' if scripts == 1 else 's'}",
            file=sys.stderr,
        )
        for where in left:
            say(f"{where}: no comment could go on its lines (#!, a string, a continued line)")
    # A file left without its comments (changed meanwhile, a link out of the project) is
    # not a clean run: a script relying on the exit status must hear of it.
    return EXIT_FINDINGS if failed else EXIT_CLEAN
