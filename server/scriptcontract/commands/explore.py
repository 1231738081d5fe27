"""`scriptcontract test --explore SCRIPT...`: run inputs made from each script's schema.

Exit codes: 0 nothing failed, 1 a failure was found, 2 a usage or configuration error (a
path that is not a script, a script that does not parse, an unusable declared schema, a
project whose configuration has errors or is not trusted).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scriptcontract.commands.check_flags import positive
from scriptcontract.commands.test import EXIT_FAILED, EXIT_PASSED, EXIT_USAGE, shown

if TYPE_CHECKING:
    from scriptcontract.executor import PythonExecutor
    from scriptcontract.explore.saving import Saved
    from scriptcontract.explore.schema_choice import ChosenSchema
    from scriptcontract.explore.session import Budget, Exploration

DEFAULT_MAX_RUNS = 200
DEFAULT_MAX_SECONDS = 60.0
EXPLORE_FORMATS = ("text", "json")
_ONLY_WITH_EXPLORE = (("seed", "--seed"), ("max_runs", "--max-runs"), ("max_time", "--max-time"))
# They choose which cases files run; `--explore` runs the scripts it is given.
_NOT_WITH_EXPLORE = (
    ("exclude", "--exclude"),
    ("extend_exclude", "--extend-exclude"),
    ("force_exclude", "--force-exclude"),
)


def register(parser: argparse.ArgumentParser) -> None:
    """The flags of exploration, added to `scriptcontract test`."""
    parser.add_argument(
        "--explore",
        action="store_true",
        help="run inputs generated from each SCRIPT's schema (declared, else inferred) and "
        "report each distinct failure with the smallest input that causes it",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="with --explore: the seed of the generated inputs (default: a new one, printed "
        "so that a failure can be replayed)",
    )
    parser.add_argument(
        "--max-runs",
        type=positive,
        metavar="N",
        help=f"with --explore: at most N runs per script, shrinking included "
        f"(default {DEFAULT_MAX_RUNS})",
    )
    parser.add_argument(
        "--max-time",
        type=_seconds,
        metavar="SECONDS",
        help=f"with --explore: stop after SECONDS per script (default {DEFAULT_MAX_SECONDS:g})",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help="with --explore: save the smallest input of each failure as a case in "
        "`<name>.cases.json`",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _fail(message: str) -> int:
    print(f"scriptcontract test: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def misuse(args: argparse.Namespace) -> str | None:
    """Why the flags given do not go together, or None."""
    if not args.explore:
        for name, flag in (*_ONLY_WITH_EXPLORE, ("save", "--save")):
            if getattr(args, name) not in (None, False):
                return f"{flag} only goes with --explore"
        return None
    if args.format not in EXPLORE_FORMATS:
        return f"--explore reports as text or json, not {args.format}"
    for name, flag in (("pattern", "-k"), ("update", "--update")):
        if getattr(args, name) not in (None, False):
            return f"{flag} does not go with --explore (it selects or rewrites recorded cases)"
    for name, flag in _NOT_WITH_EXPLORE:
        if getattr(args, name):
            return f"{flag} does not go with --explore (it chooses cases files to run)"
    if args.quiet:
        return "-q does not go with --explore (it leaves out the recorded cases that passed)"
    if not args.paths:
        return "--explore needs the scripts to explore: scriptcontract test --explore SCRIPT"
    return None


@dataclass
class _Target:
    script: Path
    root: Path
    chosen: ChosenSchema


def run(args: argparse.Namespace) -> int:
    from scriptcontract.case_runner import Projects, default_jobs, named_top
    from scriptcontract.explore.session import Budget

    cwd = Path.cwd()
    targets: list[_Target] = []
    for given in args.paths:
        target = _target(given, cwd)
        if isinstance(target, str):
            return _fail(target)
        targets.append(target)
    projects = Projects(python=args.python)
    executors = []
    for target in targets:
        top = named_top(target.script, args.paths, cwd)
        executor, problem = projects.executor(target.root, top)
        if executor is None:
            return _fail(f"{shown(target.script, cwd)}: {problem}")
        executors.append(executor)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    budget = Budget(
        runs=args.max_runs or DEFAULT_MAX_RUNS,
        seconds=args.max_time or DEFAULT_MAX_SECONDS,
        jobs=args.jobs or default_jobs(),
    )
    started = time.perf_counter()
    from scriptcontract.commands.run import _until_signalled

    work = _explore_all(list(zip(targets, executors, strict=True)), seed, budget)
    explorations, stopped_by = asyncio.run(_until_signalled(work))
    if explorations is None:
        import signal

        print(
            f"scriptcontract test: stopped by {signal.Signals(stopped_by).name}: every run "
            "under way was killed",
            file=sys.stderr,
        )
        return 128 + stopped_by
    from scriptcontract.commands.explore_report import ExploreReport

    for exploration in explorations:
        refused = exploration.nothing_started
        if refused is not None:
            return _fail(f"{shown(exploration.script, cwd)}: no run started: {refused}")
    saved = _save_all(explorations) if args.save else {}
    report = ExploreReport(explorations, cwd, time.perf_counter() - started, saved)
    report.write(args.format, sys.stdout, sys.stderr)
    return EXIT_FAILED if report.failure_count else EXIT_PASSED


def _target(given: str, cwd: Path) -> _Target | str:
    """The script `given` names, its project and schema; or why it cannot be explored."""
    from scriptcontract.case_runner import project_root_of
    from scriptcontract.check.sources import read_script_text
    from scriptcontract.explore.schema_choice import exploration_schema
    from scriptcontract.project_files import ProjectFileError
    from scriptcontract.schema_files import SchemaFileError

    script = Path(os.path.abspath(cwd / given))
    if script.is_dir() or script.suffix != ".py":
        return f"--explore takes scripts (`.py` files): {given} is not one"
    try:
        source = read_script_text(script)
    except ProjectFileError as exc:
        return str(exc)
    try:
        ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        return f"{given} does not parse{f' (line {line})' if line else ''}: nothing to explore"
    except (RecursionError, MemoryError):
        return f"{given} is nested too deeply to be analysed"
    try:
        chosen = exploration_schema(script, source)
    except SchemaFileError as exc:
        return str(exc)
    # The project of a script is found as that of its cases file, which sits beside it.
    return _Target(script, project_root_of(script), chosen)


async def _explore_all(
    targets: list[tuple[_Target, PythonExecutor]], seed: int, budget: Budget
) -> list[Exploration]:
    from scriptcontract.explore.session import explore

    explorations = []
    for target, executor in targets:
        explorations.append(
            await explore(
                executor,
                target.script,
                target.root,
                target.chosen.schema,
                origin=target.chosen.origin,
                seed=seed,
                budget=budget,
                valid=target.chosen.valid,
                literals=target.chosen.literals,
            )
        )
    return explorations


def _save_all(explorations: list[Exploration]) -> dict[tuple[Path, int], Saved]:
    """Save each failure's input as a case; what became of each (the case's name, or why
    it was not saved), by (script, failure index)."""
    from scriptcontract.explore.saving import save_failure

    return {
        (exploration.script, index): save_failure(exploration, found)
        for exploration in explorations
        for index, found in enumerate(exploration.failures)
    }
