"""A script's recorded cases in the editor: checking the cases file, running cases, results.

A cases file open in the editor is checked as it is typed (its mistakes are diagnostics on the
key they name). Running cases goes through `case_runner`, as `scriptcontract test` does; the
cases come from the editor's text of the cases file (unsaved changes included), the script
from disk (a script with unsaved changes is not run). A failing case leaves a diagnostic on
each expectation that differs, and its run's diagnostics in the script (the traceback at the
failing line, stderr), as "Run with inputs" does; the results stay for the code lenses and
for "Accept actual output" until either file changes.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.convert import CASES_SOURCE, position
from scriptcontract.lsp.documents import Document, path_of, split_lines
from scriptcontract.lsp.latest_checks import LatestChecks
from scriptcontract.lsp.latest_tasks import LatestTasks
from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from scriptcontract.case_runner import CaseResult, Selection
    from scriptcontract.cases.loading import CasesDocument
    from scriptcontract.cases.model import Case
    from scriptcontract.executor import ExecutionResult, PythonExecutor
    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)

FILE_PROBLEM = "cases-file"
JSON_SYNTAX = "json-syntax"  # the code inputs files use for the same
CASE_FAILED = "case-failed"
# Diagnostics per failing case: the first differences say what is wrong.
MAX_DIAGNOSTICS_PER_CASE = 10


PARSED_KEPT = 1  # cases files kept parsed (`CaseRuns.parsed`): a big one takes gigabytes


class CasesRefused(Exception):
    """The cases cannot be run now; `str()` says why, for the user. `anyway`: the arguments
    that, added to the run's, run them regardless (`runAnyway`). `refused`: the cases the
    declared schema refuses (`{name, message, range}`), in the cases file `cases_uri`; the
    others may run."""

    def __init__(
        self,
        message: str,
        anyway: dict[str, Any] | None = None,
        refused: list[dict[str, Any]] | None = None,
        cases_uri: str | None = None,
    ) -> None:
        super().__init__(message)
        self.anyway = anyway
        self.refused = refused
        self.cases_uri = cases_uri


@dataclass
class CasesRun:
    """The last run of some cases of one file, on the text it was made for."""

    cases_uri: str
    script_uri: str
    text: str
    results: dict[str, CaseResult] = field(default_factory=dict)

    def outcome(self, name: str) -> str | None:
        result = self.results.get(name)
        if result is None:
            return None
        if result.outcome == "passed":
            return f"✓ {result.duration_ms:.0f} ms"
        mark = "✗" if result.outcome == "failed" else "!"
        return f"{mark} {result.message}"


@dataclass(frozen=True)
class _Ready:
    """What `_prepare` found: a run of these cases can start."""

    files: CaseFiles
    root: Path
    cases: CasesDocument
    source: str  # the script's text on disk
    executor: PythonExecutor
    count: int  # how many cases are chosen


@dataclass(frozen=True)
class CaseFiles:
    """A script and its cases file, as paths and as the URIs the client uses."""

    script: Path
    cases: Path
    script_uri: str
    cases_uri: str


def is_cases_path(path: Path | None) -> bool:
    from scriptcontract.cases.files import is_cases_file

    return path is not None and is_cases_file(path)


class CaseRuns(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._runs: dict[str, CasesRun] = {}  # by cases file uri
        self._problems: dict[str, list[types.Diagnostic]] = {}
        self._failures: dict[str, list[types.Diagnostic]] = {}
        self._tasks = LatestTasks()
        # The cases files read for lenses and code actions, parsed off the event loop once
        # per text: the last one only.
        self._parsed: dict[str, asyncio.Future[CasesDocument]] = {}
        # The check of each open cases file, latest text only (see `_check`).
        self._checks = LatestChecks(logger, "the cases file")

    # --- events ---------------------------------------------------------------------

    def document_opened(self, document: Document) -> None:
        if is_cases_path(document.path):
            self._check(document)

    def document_changed(self, document: Document) -> None:
        if is_cases_path(document.path):
            self._forget_run(document.uri)
            self._check(document)
            return
        for run in list(self._runs.values()):
            if run.script_uri == document.uri:  # the results describe the old script
                self._forget_run(run.cases_uri)

    def document_closed(self, document: Document) -> None:
        self._checks.cancel(document.uri)
        self._problems.pop(document.uri, None)
        self._failures.pop(document.uri, None)

    def file_deleted(self, uri: str) -> None:
        self._forget_run(uri)
        self._problems.pop(uri, None)

    def shutdown(self) -> None:
        self._tasks.cancel_all()
        self._checks.cancel_all()

    # --- what the other features ask ------------------------------------------------

    def last_run(self, cases_uri: str) -> CasesRun | None:
        return self._runs.get(cases_uri)

    def run_for_script(self, script_uri: str) -> CasesRun | None:
        return next((r for r in self._runs.values() if r.script_uri == script_uri), None)

    def files_of(self, uri: str) -> CaseFiles:
        """The script and cases file that `uri` (either of them) belongs to."""
        from scriptcontract.cases.files import cases_path, script_path

        path = path_of(uri)
        if path is None:
            raise CasesRefused(f"{uri} is not a file on disk")
        if is_cases_path(path):
            script, cases = script_path(path), path
        else:
            script, cases = path, cases_path(path)
        return CaseFiles(script, cases, self.uri_of(script), self.uri_of(cases))

    def uri_of(self, path: Path) -> str:
        """The URI as the client spells it when the file is open, else made from the path."""
        from pygls.uris import from_fs_path

        for document in self.server.documents:
            if document.path == path:
                return document.uri
        return from_fs_path(str(path)) or str(path)

    def root_of(self, script: Path) -> Path:
        return self.server.configuration.for_path(script).root or script.parent

    def cases_text(self, files: CaseFiles) -> str | None:
        """The cases file as the editor has it, else as on disk; None when there is none."""
        from scriptcontract.cases.files import MAX_CASES_BYTES
        from scriptcontract.project_files import ProjectFileError, decode_text, read_project_file

        document = self.server.documents.get(files.cases_uri)
        if document is not None:
            return document.text
        try:
            root = self.root_of(files.script)
            data = read_project_file(root, files.cases, max_bytes=MAX_CASES_BYTES)
            return decode_text(data, files.cases)
        except ProjectFileError as exc:
            if exc.missing:
                return None
            raise CasesRefused(str(exc)) from exc

    async def load(self, files: CaseFiles) -> CasesDocument | None:
        """The cases file, parsed off the event loop: a run may leave megabytes in it, whose
        parse took seconds on the loop at each request that read it (the script's lenses and
        code actions, at every edit and move of the cursor; listing the cases, which editors
        ask when the file changes on disk), and the server answered nothing else meanwhile.
        Every parse of a cases file in the server goes through `parsed`."""
        text = self.cases_text(files)
        return await self.parsed(text) if text is not None else None

    async def parsed(self, text: str) -> CasesDocument:
        """`load_cases(text)`, worked out in a thread, once per text however many ask."""
        from scriptcontract.cases.loading import load_cases

        pending = self._parsed.get(text)
        if pending is None:
            pending = asyncio.ensure_future(asyncio.to_thread(load_cases, text))
            self._parsed[text] = pending
            while len(self._parsed) > PARSED_KEPT:
                del self._parsed[next(iter(self._parsed))]
        # Shielded: a cancelled request must not cancel the parse others await.
        return await asyncio.shield(pending)

    # --- checking a cases file ------------------------------------------------------

    def _check(self, document: Document) -> None:
        """Checks the open cases file as opened or edited, off the event loop: a run can
        leave megabytes in it, and opening it, then each keystroke, held the server."""
        self._checks.schedule(
            document.uri, self._checked(document.uri, document.version, document.text)
        )

    async def settled(self, uri: str) -> None:
        """Returns once the check of `uri` scheduled so far is delivered (for a pull)."""
        await self._checks.settled(uri)

    async def _checked(self, uri: str, version: int | None, text: str) -> None:
        cases = await self.parsed(text)
        document = self.server.documents.get(uri)
        if document is None or (document.version, document.text) != (version, text):
            return  # a newer edit has scheduled its own check
        lines = document.lines
        encoding = self.server.caps.position_encoding
        self._problems[document.uri] = [
            types.Diagnostic(
                range=span_range(cases, lines, problem.start, problem.end, encoding),
                message=problem.describe(),
                severity=types.DiagnosticSeverity.Error,
                code=JSON_SYNTAX if problem.syntax else FILE_PROBLEM,
                source=CASES_SOURCE,
            )
            for problem in cases.problems
        ]
        self._deliver(document.uri)

    def _deliver(self, uri: str) -> None:
        found = [*self._problems.get(uri, []), *self._failures.get(uri, [])]
        document = self.server.documents.get(uri)
        version = document.version if document is not None else None
        if found:
            self.server.diagnostics.set(CASES_SOURCE, uri, found, version)
        else:
            self.server.diagnostics.clear(CASES_SOURCE, uri)

    def _forget_run(self, cases_uri: str) -> None:
        run = self._runs.pop(cases_uri, None)
        if self._failures.pop(cases_uri, None):
            self._deliver(cases_uri)
        if run is not None:
            self.server.diagnostics.clear(CASES_SOURCE, run.script_uri)

    # --- running cases --------------------------------------------------------------

    async def run(
        self,
        uri: str,
        names: list[str] | None,
        token: types.ProgressToken | None,
        schema_check: bool = True,
    ) -> dict[str, Any]:
        """Run the cases of `uri` (a script or its cases file), all or those `names`; none
        whose inputs the script's declared schema refuses, unless not `schema_check`."""
        from scriptcontract.case_runner import FileRun, Selection, default_jobs, run_file

        selection = Selection(names=names)
        ready = await self._prepare(uri, selection)
        files = ready.files
        if schema_check:
            self._check_inputs(ready, selection)
        task = self._tasks.replace(files.cases_uri)
        runs = self.server.runs
        count = f"{ready.count} case{'s' if ready.count != 1 else ''}"
        progress = await runs.begin_progress(token, f"Running {files.script.name}", count)
        file_run = FileRun(path=files.cases, root=ready.root, document=ready.cases)
        try:
            limit = asyncio.Semaphore(default_jobs())
            results = await run_file(
                ready.executor, file_run, lambda case: selection("", case), limit
            )
        except asyncio.CancelledError:
            runs.end_progress(progress, "cancelled")
            raise
        finally:
            self._tasks.release(files.cases_uri, task)
        self._store(files, ready.cases, results, ready.source, ready.root)
        failed = sum(result.outcome != "passed" for result in results)
        runs.end_progress(progress, f"{failed} of {count} failed" if failed else f"{count} passed")
        runs.refresh_lenses()
        return self.answer(files, ready.cases, results)

    def _check_inputs(self, ready: _Ready, selection: Selection) -> None:
        """`CasesRefused` when a selected case's inputs break the declared schema, as
        `scriptcontract test` refuses them: nothing starts; "Run anyway" runs them."""
        from scriptcontract.case_runner import FileRun, case_refusals, refusal_lines
        from scriptcontract.lsp.lint import relative_path
        from scriptcontract.lsp.runs import CASES_ANYWAY

        def shown(path: Path) -> str:
            return relative_path(path, ready.root) or str(path)

        file_run = FileRun(path=ready.files.cases, root=ready.root, document=ready.cases)
        selected = [case for case in ready.cases.cases if selection("", case)]
        found = case_refusals(file_run, selected)
        lines = refusal_lines(found, ready.files.script.name, shown)
        if lines:
            # Each case with its own problems: a test explorer errors those, runs the rest.
            # A schema that cannot be used refuses every case alike: no list then.
            unusable, refused = found
            raise CasesRefused(
                "Not run: inputs that do not match the declared schema; nothing was run "
                f"({CASES_ANYWAY}):\n" + "\n".join(lines),
                {"schemaCheck": False},
                None if unusable is not None else self._refused(ready.cases, refused, shown),
                ready.files.cases_uri,
            )

    def _refused(
        self,
        document: CasesDocument,
        refused: list[tuple[Case, Path, list[str]]],
        shown: Callable[[Path], str],
    ) -> list[dict[str, Any]]:
        """Each refused case as `runCases` lists it: its name, why (as a run's refusal says
        it) and where it is in its file."""
        from scriptcontract.lsp.runs import RUN_ANYWAY
        from scriptcontract.schema_check import refusal

        lines = split_lines(document.text)
        encoding = self.server.caps.position_encoding
        index = {id(case): number for number, case in enumerate(document.cases)}
        out = []
        for case, schema, problems in refused:
            span = _case_span(document, index[id(case)])
            out.append(
                {
                    "name": case.name,
                    "message": "Not run: " + refusal(shown(schema), problems, anyway=RUN_ANYWAY),
                    "range": range_json(span_range(document, lines, *span, encoding)),
                }
            )
        return out

    # --- debugging one case -----------------------------------------------------------

    async def case_to_debug(self, uri: str, name: str) -> tuple[CaseFiles, dict[str, Any]]:
        """The script and the inputs of the case `name` of `uri` (a script or its cases
        file), checked as a run of that case is; `CasesRefused` says why not."""
        from scriptcontract.case_runner import FileRun, Selection, case_inputs
        from scriptcontract.lsp.run_inputs import InputsError

        ready = await self._prepare(uri, Selection(names=[name]))
        case = next(case for case in ready.cases.cases if case.name == name)
        run = FileRun(path=ready.files.cases, root=ready.root, document=ready.cases)
        try:
            return ready.files, case_inputs(run, case)
        except InputsError as exc:
            raise CasesRefused(f"case {json.dumps(name, ensure_ascii=False)}: {exc}") from exc

    async def debugged(
        self, uri: str, name: str, inputs: dict[str, Any], result: ExecutionResult
    ) -> dict[str, Any] | None:
        """The verdict of the case `name` on a debug run of it, kept as a run of the case
        is (its lens, its diagnostics); None when the case is no longer in its file."""
        from scriptcontract.case_runner import CaseResult, Outcome, actual_of
        from scriptcontract.cases.matching import compare
        from scriptcontract.lsp.runs import read_script
        from scriptcontract.project_files import ProjectFileError

        try:
            files = self.files_of(uri)
            cases = await self.load(files)
        except CasesRefused:
            return None
        if cases is None or cases.problems:
            return None
        found = next(((i, c) for i, c in enumerate(cases.cases) if c.name == name), None)
        if found is None:
            return None
        index, case = found
        actual = actual_of(result)
        verdict = compare(case, actual, cases.placeholders_for(case))
        outcome: Outcome = "passed" if verdict.passed else "failed"
        summary = verdict.summary(actual)
        case_result = CaseResult(index, case, outcome, summary, inputs, actual, verdict, result)
        root = self.root_of(files.script)
        try:
            source = read_script(files.script, root)
        except ProjectFileError:
            source = None
        if source is not None:
            self._store(files, cases, [case_result], source, root)
            self.server.runs.refresh_lenses()
        entry: dict[str, Any] = self.answer(files, cases, [case_result])["cases"][0]
        return entry

    async def _prepare(self, uri: str, selection: Selection) -> _Ready:
        """Everything a run of these cases needs, or `CasesRefused` saying what is missing."""
        from scriptcontract.lsp.runs import executor_for, read_script
        from scriptcontract.project_files import ProjectFileError

        files = self.files_of(uri)
        root = self.root_of(files.script)
        cases = await self.load(files)
        if cases is None:
            missing = f"{files.cases.name} does not exist"
            how = 'run it with inputs, then "Add as case"'
            raise CasesRefused(f"{files.script.name} has no cases: {missing}; {how}")
        if cases.problems:
            first = cases.problems[0]
            line, column = cases.lines.position(first.start)
            more = f" (and {len(cases.problems) - 1} more)" if len(cases.problems) > 1 else ""
            raise CasesRefused(
                f"{files.cases.name}:{line + 1}:{column + 1}: {first.describe()}{more}"
            )
        try:
            source = read_script(files.script, root)
        except ProjectFileError as exc:
            raise CasesRefused(f"Cannot read {files.script}: {exc.reason}") from exc
        script_document = self.server.documents.get(files.script_uri)
        if script_document is not None and script_document.text != source:
            raise CasesRefused(
                f"{files.script.name} has unsaved changes; save it before running its cases "
                "(a run uses the file on disk)."
            )
        settings = self.server.configuration.for_path(files.script)
        problem = configuration_problem(root, settings)
        if problem is not None:
            raise CasesRefused(f"Not run: {problem}")
        try:
            executor = executor_for(root, settings)
        except ValueError as exc:
            raise CasesRefused(f"Not run: {exc}") from exc
        count = sum(1 for case in cases.cases if selection("", case))
        if not count:
            names = ", ".join(sorted(selection.names or []))
            raise CasesRefused(f"No case of {files.cases.name} is named {names}")
        return _Ready(files, root, cases, source, executor, count)

    def _store(
        self,
        files: CaseFiles,
        cases: CasesDocument,
        results: list[CaseResult],
        source: str,
        root: Path,
    ) -> None:
        from scriptcontract.cases.locating import difference_span

        run = self._runs.get(files.cases_uri)
        if run is None or run.text != cases.text:
            run = CasesRun(files.cases_uri, files.script_uri, cases.text)
            self._runs[files.cases_uri] = run
        run.results.update({result.name: result for result in results})
        if self.cases_text(files) != cases.text:
            return  # edited during the run: its positions describe the old text
        encoding = self.server.caps.position_encoding
        lines = split_lines(cases.text)
        diagnostics: list[types.Diagnostic] = []
        for result in run.results.values():
            if result.outcome == "passed":
                continue
            name = json.dumps(result.name, ensure_ascii=False)
            differences = result.verdict.differences if result.verdict is not None else []
            if not differences:
                span = _case_span(cases, result.index)
                diagnostics.append(
                    _failure(
                        span_range(cases, lines, *span, encoding),
                        f"case {name}: {result.message}",
                        result,
                    )
                )
            for difference in differences[:MAX_DIAGNOSTICS_PER_CASE]:
                start, end = difference_span(cases, result.index, difference)
                message = f"case {name}: {difference.message()}"
                diagnostics.append(
                    _failure(span_range(cases, lines, start, end, encoding), message, result)
                )
        self._failures[files.cases_uri] = diagnostics
        self._deliver(files.cases_uri)
        self._publish_script(files, run, source, root)

    def _publish_script(self, files: CaseFiles, run: CasesRun, source: str, root: Path) -> None:
        """The failing runs' diagnostics in the script, each named after its case."""
        from scriptcontract.lsp.convert import run_diagnostic
        from scriptcontract.lsp.run_diagnostics import run_diagnostics
        from scriptcontract.lsp.runs import _ProjectLines

        lines_of = _ProjectLines(self.server, root)
        script_lines = split_lines(source)
        found: list[types.Diagnostic] = []
        for result in run.results.values():
            outcome = result.result
            if result.outcome == "passed" or outcome is None or outcome.success:
                continue
            for item in run_diagnostics(
                outcome,
                script=files.script,
                project_root=root,
                script_source=source,
                lines_of=lines_of,
            ):
                if Path(item.path).resolve() != files.script.resolve():
                    continue
                diagnostic = run_diagnostic(
                    item.finding, files.script_uri, script_lines, self.server.caps, lines_of
                )
                diagnostic.message = f"case {json.dumps(result.name)}: {diagnostic.message}"
                diagnostic.source = CASES_SOURCE
                found.append(diagnostic)
        document = self.server.documents.get(files.script_uri)
        version = document.version if document is not None else None
        if found:
            self.server.diagnostics.set(CASES_SOURCE, files.script_uri, found, version)
        else:
            self.server.diagnostics.clear(CASES_SOURCE, files.script_uri)

    def answer(
        self, files: CaseFiles, cases: CasesDocument, results: list[CaseResult]
    ) -> dict[str, Any]:
        """What `scriptcontract.runCases` answers: each case with its outcome, and for a
        failure its differences and the expected and actual texts of a diff view."""
        from scriptcontract.cases.locating import difference_span

        encoding = self.server.caps.position_encoding
        lines = split_lines(cases.text)
        root = self.root_of(files.script)
        out = []
        for result in results:
            span = _case_span(cases, result.index)
            entry: dict[str, Any] = {
                "name": result.name,
                "outcome": result.outcome,
                "message": result.message,
                "durationMs": round(result.duration_ms, 3),
                "range": range_json(span_range(cases, lines, *span, encoding)),
            }
            if result.outcome != "passed":
                expected, actual = diff_texts(cases, result)
                differences = result.verdict.differences if result.verdict else []
                if differences:
                    start, end = difference_span(cases, result.index, differences[0])
                    entry["failureRange"] = range_json(
                        span_range(cases, lines, start, end, encoding)
                    )
                entry.update(
                    differences=[
                        {"where": d.where, "kind": d.kind, "message": d.message()}
                        for d in (result.verdict.differences if result.verdict else [])
                    ],
                    expected=expected,
                    actual=actual,
                    stderrTail=result.stderr_tail(),
                    traceback=result.last_frame(root),
                )
            out.append(entry)
        return {"casesUri": files.cases_uri, "scriptUri": files.script_uri, "cases": out}


def configuration_problem(root: Path, settings: Any) -> str | None:
    from scriptcontract.case_runner import configuration_problem as problem_of

    given = ["executor.python"] if settings.client.run.python else []
    return problem_of(root, settings.project, given=given)


def diff_texts(cases: CasesDocument, result: CaseResult) -> tuple[str, str]:
    """The case's expectations as written, and as "Accept actual output" would write them
    (a run that cannot be recorded: what it gave) — the two sides of a diff view."""
    from scriptcontract.cases.editing import NotRecorded, new_expectation

    node = cases.case_node(result.index)
    expect = node.get("expect") if node is not None else None
    written = expect.value if expect is not None else {}
    actual = result.actual
    if actual is None:
        return _pretty(written), result.message
    try:
        accepted = new_expectation(
            written, result.case, actual, cases.placeholders_for(result.case)
        )
    except NotRecorded:
        accepted = {
            key: value
            for key, value in (
                ("success", actual.success),
                ("timed_out", actual.timed_out),
                ("error", actual.error),
                ("output", actual.output),
            )
            if value is not None
        }
    return _pretty(written), _pretty(accepted)


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _case_span(cases: CasesDocument, index: int) -> tuple[int, int]:
    from scriptcontract.cases.locating import case_span

    return case_span(cases, index)


def _failure(where: types.Range, message: str, result: CaseResult) -> types.Diagnostic:
    return types.Diagnostic(
        range=where,
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=CASE_FAILED,
        source=CASES_SOURCE,
        data={"case": result.name},
    )


def span_range(
    cases: CasesDocument, lines: list[str], start: int, end: int, encoding: Any
) -> types.Range:
    """Offsets of the cases text as a range in the client's position encoding."""
    start_line, start_column = cases.lines.position(start)
    end_line, end_column = cases.lines.position(end)
    return types.Range(
        start=position(lines, start_line, start_column, encoding),
        end=position(lines, end_line, end_column, encoding),
    )


def range_json(value: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": value.start.line, "character": value.start.character},
        "end": {"line": value.end.line, "character": value.end.character},
    }
