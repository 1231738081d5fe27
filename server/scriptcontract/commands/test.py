"""`scriptcontract test [PATHS...]`: run every recorded case and say which pass.

Exit codes: 0 every case passed (with `--update`: every failing case was brought up to
date), 1 a case failed, 2 a usage or configuration error: a project's configuration that
has errors or is not trusted, a cases file that cannot be read or has a mistake, no case
found. The other files' cases still run and are reported.

`--explore SCRIPT...` runs generated inputs instead of the recorded cases (commands/explore.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.cases.finding import IGNORED, Excludes, find_cases_files
from scriptcontract.commands.check_flags import exclude_flags, positive
from scriptcontract.commands.interpreter_flag import add_python_flag
from scriptcontract.contract.script_files import EXCLUDED, NOT_INCLUDED, OUTSIDE, SKIP_FILE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scriptcontract.case_runner import FileRun, Selection
    from scriptcontract.cases.model import CasesFile

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "junit", "github")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="cases files, scripts (their `<name>.cases.json`) or directories to search "
        "(default: the current directory)",
    )
    parser.add_argument(
        "-k",
        dest="pattern",
        metavar="PATTERN",
        help="run only the cases whose `script::case name` contains PATTERN (case-insensitive; "
        "`*`, `?` and `[...]` are wildcards)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="rewrite the expectations of failing cases from what their runs gave",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, junit (JUnit XML) or github (GitHub Actions annotations)",
    )
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="text: only the cases that did not pass, and the summary; other formats: no "
        "summary on stderr",
    )
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say which cases files were left out and why (as `check -v` says which "
        "files it skipped)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=positive,
        metavar="N",
        help="how many cases run at once (default: four per core)",
    )
    add_python_flag(parser, "interpreter the scripts run with (for every project)")
    # Spelt and meaning as `check`'s: the cases of a script `check` passes over are not run.
    exclude_flags(parser, "(exclude, .gitignore)")
    parser.add_argument(
        "--schema",
        action="store_true",
        help="print the JSON Schema of cases files, and stop",
    )
    parser.add_argument(
        "--no-schema-check",
        action="store_true",
        help="run cases whose inputs do not match their script's declared "
        "`<name>.schema.json` (by default nothing runs while one does not)",
    )
    from scriptcontract.commands import explore

    explore.register(parser)
    parser.epilog = (
        "A script's cases are in `<name>.cases.json` beside it (docs/cases.md). Each case "
        "runs in the sandbox, with its project's configuration (as `run`)."
    )


def _fail(message: str) -> int:
    print(f"scriptcontract test: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def shown(path: Path, cwd: Path) -> str:
    """As every report shows it: a name a run chose must not drive the user's terminal nor
    add lines to a report (a GitHub workflow command among them)."""
    from scriptcontract.shown_values import printable_name

    try:
        text = path.relative_to(cwd).as_posix()
    except ValueError:
        text = str(path)
    return printable_name(text)


def run(args: argparse.Namespace) -> int:
    from scriptcontract.commands import explore

    problem = explore.misuse(args)
    if problem is not None:
        return _fail(problem)
    if args.explore and not args.schema:
        return explore.run(args)
    if args.schema:
        from scriptcontract.cases.schema import schema_text

        sys.stdout.write(schema_text())
        return EXIT_PASSED
    from scriptcontract.case_runner import Selection, load_file, project_root_of

    cwd = Path.cwd()
    excludes, problem = _excludes(args)
    if problem is not None:
        return _fail(problem)
    passed_over: list[tuple[Path, str]] = []
    files, missing = find_cases_files(args.paths or ["."], cwd, excludes, passed_over)
    for problem in missing:
        print(f"scriptcontract test: error: {problem}", file=sys.stderr)
    if args.verbose:
        for left, why in passed_over:
            print(
                f"scriptcontract test: left out {shown(left, cwd)}: {_LEFT_OUT.get(why, why)}",
                file=sys.stderr,
            )
    if not files and missing:
        return EXIT_USAGE  # each path's own error above says why; no second one
    if not files:
        where = " ".join(args.paths) if args.paths else "the current directory"
        return _fail(f"no cases found in {where}: {_none_found(passed_over, cwd)}")
    runs = [load_file(path, project_root_of(path)) for path in files]
    selection = Selection(args.pattern)
    if not args.no_schema_check:
        refused = _schema_refusals(runs, selection, cwd)
        if refused:
            return _fail(
                "inputs that do not match the declared schema; nothing was run "
                "(--no-schema-check runs anyway):\n" + "\n".join(refused)
            )
        for warning in _inferred_warnings(runs, selection, cwd):
            print(f"scriptcontract test: warning: {warning}", file=sys.stderr)
    started = time.perf_counter()
    from scriptcontract.commands.run import _until_signalled

    outcome, stopped_by = asyncio.run(_until_signalled(_run_all(runs, selection, args, cwd)))
    if outcome is None:
        import signal

        print(
            f"scriptcontract test: stopped by {signal.Signals(stopped_by).name}: every run "
            "under way was killed",
            file=sys.stderr,
        )
        return 128 + stopped_by
    from scriptcontract.commands.test_report import Report

    report = Report(runs, cwd, time.perf_counter() - started, updated=outcome, quiet=args.quiet)
    if report.cases_run == 0 and not report.has_errors and args.pattern:
        return _fail(f"no case matches -k {args.pattern!r}")
    report.write(args.format, sys.stdout, sys.stderr)
    if report.has_errors or missing:
        return EXIT_USAGE
    if report.still_failing:
        return EXIT_FAILED
    return EXIT_PASSED


def _excludes(args: argparse.Namespace) -> tuple[Excludes, str | None]:
    """The exclude flags, and what is wrong with their globs (as `check` says it)."""
    from scriptcontract.commands.check_flag_values import codes
    from scriptcontract.contract.globs import globs_problem

    replaced = codes(args.exclude) if args.exclude is not None else None
    excludes = Excludes(replaced, codes(args.extend_exclude), args.force_exclude)
    problem = globs_problem([*(replaced or []), *excludes.extended])
    return excludes, None if problem is None else f"{problem} (on the command line)"


# Why a cases file was left out, by `find_cases_files`' reason.
_LEFT_OUT = {
    NOT_INCLUDED: "`check` passes over its script: not matched by include",
    EXCLUDED: "`check` passes over its script: matched by exclude",
    SKIP_FILE: "its script is marked `# scriptcontract: skip-file`",
    OUTSIDE: "`check` passes over its script: outside the project root",
    IGNORED: "left out by .gitignore or .ignore (--force-exclude)",
}


def _none_found(passed_over: list[tuple[Path, str]], cwd: Path) -> str:
    """Why no case was found: the cases files left out, why, and how to run them; else
    where cases live and how to record one."""
    if not passed_over:
        return (
            "the cases of `scripts/x.py` are in `scripts/x.cases.json`; record one with "
            "`scriptcontract run scripts/x.py --inputs ... --save-case NAME` (docs/cases.md)"
        )
    listed = ", ".join(
        f"{shown(path, cwd)} ({_LEFT_OUT.get(why, why)})" for path, why in passed_over[:5]
    )
    more = f" and {len(passed_over) - 5} more" if len(passed_over) > 5 else ""
    many = len(passed_over) > 1
    said = f"{len(passed_over)} cases file{'s' if many else ''} left out: {listed}{more}."
    reasons = {why for _, why in passed_over}
    how = []
    if reasons - {SKIP_FILE}:
        them = "them" if many else "it"
        how.append(
            f"To run {them} anyway: name {them} (without --force-exclude), or put "
            "`# scriptcontract: script` in the script"
        )
    if SKIP_FILE in reasons:
        # The marker wins over naming the file and over the opt-in marker, as in `check`.
        how.append(
            "A script marked `# scriptcontract: skip-file` is not a workflow script, named "
            "or not: its cases run once the marker is removed"
        )
    return f"{said} {'. '.join(how)}"


def _schema_refusals(runs: list[FileRun], selection: Selection, cwd: Path) -> list[str]:
    """For each selected case expected to succeed whose inputs break its script's declared
    schema (or each script whose declared schema is unusable), the lines that say why."""
    from scriptcontract.case_runner import schema_refusals

    lines: list[str] = []
    for file_run, script, model in _usable(runs, cwd):
        selected = [case for case in model.cases if selection(script, case)]
        lines.extend(schema_refusals(file_run, selected, script, lambda path: shown(path, cwd)))
    return lines


def _usable(runs: list[FileRun], cwd: Path) -> Iterator[tuple[FileRun, str, CasesFile]]:
    """The cases files whose cases can run, with their script as shown and their model."""
    for file_run in runs:
        model = file_run.document.model if file_run.document else None
        if file_run.error or file_run.problems or model is None:
            continue  # the report says what is wrong with the file
        yield file_run, shown(file_run.script, cwd), model


def _inferred_warnings(runs: list[FileRun], selection: Selection, cwd: Path) -> list[str]:
    """For each selected case expected to succeed whose inputs break the schema inferred
    from its script (which declares none), or hold a key the script never reads, why: a
    warning, never a refusal, since the inference is a guess from the code (as `run` warns)."""
    from scriptcontract.case_runner import case_inputs
    from scriptcontract.check.sources import read_script_text
    from scriptcontract.lsp.run_inputs import InputsError
    from scriptcontract.project_files import ProjectFileError
    from scriptcontract.schema_check import (
        inferred_message,
        inferred_reads,
        input_problems,
        unread_keys,
    )

    warnings: list[str] = []
    for file_run, script, model in _usable(runs, cwd):
        selected = [c for c in model.cases if selection(script, c) and c.expect.expects_success()]
        if not selected:
            continue
        try:
            inferred = inferred_reads(file_run.script, read_script_text(file_run.script))
        except ProjectFileError:
            continue  # the case's run says what is wrong with the script
        if inferred is None:
            continue
        for case in selected:
            try:
                inputs = case_inputs(file_run, case)
            except InputsError:
                continue  # the case's run reports its inputs file
            problems = input_problems(inferred.schema, inputs)
            problems += unread_keys(file_run.script, inferred, inputs)
            if problems:
                message = inferred_message(script, problems)
                warnings.append(f"{script}::{case.name}: {message}")
    return warnings


async def _run_all(
    runs: list[FileRun], selection: Selection, args: argparse.Namespace, cwd: Path
) -> dict[tuple[Path, int], str]:
    """Run every usable file's cases; with --update, rewrite the failing ones. Returns what
    `--update` did to each failing case (("updated" or why not) by (file, index))."""
    from scriptcontract.case_runner import Projects, default_jobs, named_top, run_file

    projects = Projects(python=args.python)
    limit = asyncio.Semaphore(args.jobs or default_jobs())
    tasks = []
    for file_run in runs:
        if file_run.error or file_run.problems:
            continue
        top = named_top(file_run.path, args.paths or ["."], cwd)
        executor, problem = projects.executor(file_run.root, top)
        if executor is None:
            file_run.error = f"{problem}"
            continue
        script = shown(file_run.script, cwd)

        def wanted(case: object, script: str = script) -> bool:
            return selection(script, case)  # type: ignore[arg-type]

        tasks.append(run_file(executor, file_run, wanted, limit))
    await asyncio.gather(*tasks)
    updated: dict[tuple[Path, int], str] = {}
    if args.update:
        for file_run in runs:
            updated.update(_update(file_run))
    return updated


def _update(file_run: FileRun) -> dict[tuple[Path, int], str]:
    """Rewrite the failing cases of one file, in one atomic write."""
    from scriptcontract.cases.editing import NotRecorded, apply_edits, update_edits
    from scriptcontract.cases.files import CasesFileChanged, write_cases
    from scriptcontract.project_files import ProjectFileError

    document = file_run.document
    failing = [r for r in file_run.results if r.outcome == "failed" and r.actual is not None]
    if document is None or not failing:
        return {}
    done: dict[tuple[Path, int], str] = {}
    edits = []
    for result in failing:
        assert result.actual is not None
        try:
            edits += update_edits(document, result.index, result.actual)
        except NotRecorded as exc:
            done[(file_run.path, result.index)] = f"not updated: {exc}"
            continue
        done[(file_run.path, result.index)] = "updated"
    if not edits:
        return done
    text = apply_edits(document.text, edits)
    try:
        write_cases(file_run.root, file_run.path, file_run.original, text)
    except (CasesFileChanged, ProjectFileError) as exc:
        reason = f"not updated: {exc}"
        return {key: (reason if value == "updated" else value) for key, value in done.items()}
    return done
