"""Run recorded cases through the executor: in the sandbox, warm, several at a time.

Shared by `scriptcontract test` and the language server. A project whose configuration has
errors, or loosens the sandbox without the user's trust, runs none of its cases (it is a
configuration error, never a run with defaults); a cases file with a problem runs none of
its cases either; everything else runs. A case that hangs is killed at its timeout, one that
crashes or floods its output is reported, and neither stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from scriptcontract.cases.files import read_cases, script_path
from scriptcontract.cases.loading import CasesDocument, Problem
from scriptcontract.cases.matching import Actual, Verdict, compare
from scriptcontract.cases.model import Case
from scriptcontract.config import ProjectConfig, find_project_root
from scriptcontract.project_files import ProjectFileError
from scriptcontract.tracebacks import last_traceback

if TYPE_CHECKING:
    from scriptcontract.executor import ExecutionResult, PythonExecutor

Outcome = Literal["passed", "failed", "error"]
STDERR_TAIL_LINES = 10


@dataclass
class CaseResult:
    """One case's run and verdict."""

    index: int
    case: Case
    outcome: Outcome
    message: str  # "passed", "output differs", or why it did not run
    inputs: dict[str, Any] | None = None
    actual: Actual | None = None
    verdict: Verdict | None = None
    result: ExecutionResult | None = None

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def duration_ms(self) -> float:
        return self.actual.duration_ms if self.actual is not None else 0.0

    def stderr_tail(self) -> list[str]:
        lines = self.actual.stderr.rstrip().splitlines() if self.actual is not None else []
        return lines[-STDERR_TAIL_LINES:]

    def last_frame(self, root: Path) -> str | None:
        """Where the script's traceback ended: `scripts/x.py:12 in main: KeyError: 'name'`."""
        if self.actual is None or not self.actual.stderr:
            return None
        traceback = last_traceback(self.actual.stderr.splitlines())
        if traceback is None or not traceback.frames:
            return None
        frame = traceback.frames[-1]
        path = frame.path
        with contextlib.suppress(OSError, ValueError):
            path = Path(path).resolve().relative_to(root.resolve()).as_posix()
        where = f"{path}:{frame.line}" + (f" in {frame.function}" if frame.function else "")
        return f"{where}: {traceback.exception}" if traceback.exception else where


@dataclass
class FileRun:
    """One cases file: what was read, what could not be used, and its cases' results."""

    path: Path
    root: Path
    document: CasesDocument | None = None
    original: bytes | None = None
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # the file, its script or its project cannot be used
    results: list[CaseResult] = field(default_factory=list)

    @property
    def script(self) -> Path:
        return script_path(self.path)


class Selection:
    """Which cases to run: all, those whose "script::name" matches `-k`, or named ones."""

    def __init__(self, pattern: str | None = None, names: list[str] | None = None) -> None:
        self.pattern = pattern.casefold() if pattern else None
        self.names = set(names) if names is not None else None

    def __call__(self, shown_script: str, case: Case) -> bool:
        if self.names is not None and case.name not in self.names:
            return False
        if self.pattern is None:
            return True
        full = f"{shown_script}::{case.name}".casefold()
        if any(char in self.pattern for char in "*?["):
            from fnmatch import fnmatchcase

            return fnmatchcase(full, f"*{self.pattern}*")
        return self.pattern in full


def project_root_of(cases_file: Path) -> Path:
    """The project a cases file belongs to (as `run` finds a script's)."""
    # As named, links not followed (a cases file a run left as a link out of the project
    # must not make the link's target folder the root).
    folder = Path(os.path.abspath(cases_file)).parent
    found = find_project_root(folder)
    return found if found is not None else folder


def configuration_problem(root: Path, config: ProjectConfig, *, given: list[str]) -> str | None:
    """Why the project's configuration cannot be used for runs, or None."""
    from scriptcontract.trust import check_trust

    if config.errors:
        errors = "; ".join(str(error) for error in config.errors)
        return f"the project's configuration has errors; no case was run: {errors}"
    verdict = check_trust(root, config, given=given)
    return None if verdict.ok else verdict.message()


def make_executor(
    root: Path, config: ProjectConfig, *, python: str | None = None
) -> PythonExecutor:
    """The project's executor, warm where it can be (many short runs in a row)."""
    from scriptcontract.config import project_executor

    return project_executor(
        root,
        config,
        timeout_ms=config.executor.timeout_ms,
        python=python or config.executor.python,
        mode=config.executor.mode,
    )


def load_file(path: Path, root: Path) -> FileRun:
    run = FileRun(path=path, root=root)
    try:
        run.original, run.document = read_cases(root, path)
    except ProjectFileError as exc:
        run.error = f"cannot read {path}: {exc.reason}"
        return run
    run.problems = list(run.document.problems)
    script = run.script
    if not run.problems and not (script.is_file() or script.is_symlink()):
        run.error = f"no script {script.name} beside it (cases of `x.py` are in `x.cases.json`)"
    return run


def actual_of(result: ExecutionResult) -> Actual:
    return Actual(
        success=result.success,
        output=result.output,
        exit_code=result.exit_code,
        error=result.error,
        error_type=result.error_type,
        error_kind=result.error_kind,
        stderr=result.stderr,
        timed_out=result.timed_out,
        duration_ms=result.execution_time_ms,
    )


def case_inputs(run: FileRun, case: Case) -> dict[str, Any]:
    """The case's inputs; `InputsError` when its inputs file cannot be used.

    The inputs file must be in the project: a cases file is a file runs can write, and one
    that named a file of the user's elsewhere would hand it to the script."""
    from scriptcontract.lsp.run_inputs import InputsError, read_inputs_file
    from scriptcontract.project_files import named_inside

    if case.inputs_file is None:
        return dict(case.inputs or {})
    path = run.path.parent / case.inputs_file
    if not named_inside(run.root, path):
        raise InputsError(f"the inputs file {case.inputs_file} is outside the project")
    return read_inputs_file(path, run.root)


def schema_refusals(
    run: FileRun, cases: list[Case], script: str, shown: Callable[[Path], str]
) -> list[str]:
    """For each of `cases` expected to succeed whose inputs break its script's declared schema
    (or, once, a declared schema that cannot be used), the lines that say why: such inputs
    start nothing unless the user runs them anyway. `script` is the script as the lines name
    it; `shown` names the schema file."""
    return refusal_lines(case_refusals(run, cases), script, shown)


def refusal_lines(
    found: tuple[str | None, list[tuple[Case, Path, list[str]]]],
    script: str,
    shown: Callable[[Path], str],
) -> list[str]:
    """`case_refusals`'s answer as `schema_refusals` says it."""
    unusable, refused = found
    if unusable is not None:
        return [f"  {script}: {unusable}"]
    lines: list[str] = []
    for case, schema, problems in refused:
        lines.append(f"  {script}::{case.name} (against {shown(schema)}):")
        lines.extend(f"    - {problem}" for problem in problems)
    return lines


def case_refusals(
    run: FileRun, cases: list[Case]
) -> tuple[str | None, list[tuple[Case, Path, list[str]]]]:
    """Why the script's declared schema cannot be used (None when it can, or there is none),
    and each of `cases` whose inputs it refuses, with the schema file and the problems. A
    case that expects the run to fail records how the script answers bad inputs: its inputs
    break the schema on purpose, and are not checked."""
    from scriptcontract.lsp.run_inputs import InputsError
    from scriptcontract.schema_check import declared_schema, input_problems
    from scriptcontract.schema_files import SchemaFileError, schema_path

    try:
        schema = declared_schema(run.script)
    except SchemaFileError as exc:
        return str(exc), []
    if schema is None:
        return None, []
    refused: list[tuple[Case, Path, list[str]]] = []
    for case in cases:
        if not case.expect.expects_success():
            continue
        try:
            inputs = case_inputs(run, case)
        except InputsError:
            continue  # the case's run reports its inputs file
        problems = input_problems(schema, inputs)
        if problems:
            refused.append((case, schema_path(run.script), problems))
    return None, refused


async def run_case(
    executor: PythonExecutor,
    run: FileRun,
    index: int,
    case: Case,
    limit: asyncio.Semaphore,
) -> CaseResult:
    from scriptcontract.lsp.run_inputs import InputsError

    assert run.document is not None and run.document.model is not None
    try:
        inputs = case_inputs(run, case)
    except InputsError as exc:
        return CaseResult(index, case, "error", f"not run: {exc}")
    timeout = case.timeout_ms or run.document.model.timeout_ms
    if timeout is not None and timeout > executor.default_timeout_ms:
        # A cases file is a file runs can write: one planted with a timeout of weeks let
        # the script (and its CPU limit, which follows the timeout) run for weeks. The
        # project's timeout is the trusted bound (raising it needs `scriptcontract trust`).
        return CaseResult(
            index,
            case,
            "error",
            f"not run: its timeout_ms ({timeout}) is above the project's timeout-ms "
            f"({executor.default_timeout_ms}); a cases file may only shorten it: raise "
            "[executor] timeout-ms in the project's configuration instead",
        )
    async with limit:
        result = await executor.execute_script(run.script, inputs, timeout_ms=timeout)
    actual = actual_of(result)
    verdict = compare(case, actual, run.document.placeholders_for(case))
    outcome: Outcome = "passed" if verdict.passed else "failed"
    return CaseResult(
        index, case, outcome, verdict.summary(actual), inputs, actual, verdict, result
    )


async def run_file(
    executor: PythonExecutor,
    run: FileRun,
    wanted: Callable[[Case], bool],
    limit: asyncio.Semaphore,
) -> list[CaseResult]:
    """Run the wanted cases of one usable file, all at once (`limit` bounds the runs)."""
    if run.document is None or run.document.model is None:
        return []
    chosen = [(i, case) for i, case in enumerate(run.document.model.cases) if wanted(case)]
    results = await asyncio.gather(
        *(run_case(executor, run, index, case, limit) for index, case in chosen)
    )
    run.results = list(results)
    return run.results


def default_jobs() -> int:
    # A case's run is mostly waiting (on the warm runner's fork, on its process): with a
    # few per core in flight, the cores stay busy (benchmarks/cases.py: 4 per core was
    # ~1.5x faster than 2 on 200 short cases).
    return 4 * (os.cpu_count() or 1)


class Projects:
    """The projects of the cases files, each with its configuration and executor, made once."""

    def __init__(self, python: str | None = None) -> None:
        self.python = python
        self._made: dict[tuple[Path, Path], tuple[PythonExecutor | None, str | None]] = {}

    def executor(self, root: Path, top: Path) -> tuple[PythonExecutor | None, str | None]:
        """The executor of the project at `root`, or why it cannot run. `top`: the folder
        the user pointed `test` at (`named_top`): with no git, a configuration below it is
        one a run could have written (`nested_configs.vouched_config`)."""
        if (root, top) not in self._made:
            from scriptcontract.nested_configs import TEST_STARTED_IN, vouched_config

            config, unvouched = vouched_config(root, top, TEST_STARTED_IN)
            given = ["executor.python"] if self.python else []
            # A file nobody vouched for is refused for what it is, not as one "with errors".
            problem = (
                f"{unvouched}; no case was run"
                if unvouched is not None
                else configuration_problem(root, config, given=given)
            )
            made: tuple[PythonExecutor | None, str | None] = (None, problem)
            if problem is None:
                try:
                    made = (make_executor(root, config, python=self.python), None)
                except ValueError as exc:
                    made = (None, str(exc))
            self._made[(root, top)] = made
        return self._made[(root, top)]


def named_top(file: Path, paths: list[str], cwd: Path) -> Path:
    """The top for `file`: a folder `test` was given that holds it (the outermost, the
    stricter), as if `test` were started there (`cd` there says no more), else the folder
    it was started in. Not a named file's folder: `run scripts/x.py` takes the folder it
    was started in for the top, and so does `test scripts/x.py`."""
    here = Path(os.path.abspath(file))
    tops = []
    for given in paths:
        start = Path(os.path.abspath(cwd / given))
        folder = start if start.is_dir() else Path(os.path.abspath(cwd))
        if here.is_relative_to(folder):
            tops.append(folder)
    return min(tops, key=lambda folder: len(folder.parts), default=Path(os.path.abspath(cwd)))
