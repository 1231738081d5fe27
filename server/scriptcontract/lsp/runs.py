"""Runs of scripts from the editor: one cancellable task per script, progress, results.

A run uses the file on disk, so an untitled buffer or one with unsaved changes is not run
(it is linted). Each run replaces the diagnostics of the previous run of the same script,
reports work-done progress when the client supports it, dies with its process when the
request or the progress is cancelled, and leaves its outcome for the code lens. Its
diagnostics land on the lines they describe even when the user edited the file while it
ran. A success is not a problem: it is an inlay hint beside the entry line where the
client shows them (a hint-level diagnostic elsewhere).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.convert import RUN_SOURCE, run_diagnostic
from scriptcontract.lsp.documents import Document, path_of, split_lines
from scriptcontract.lsp.latest_tasks import LatestTasks
from scriptcontract.lsp.server_feature import Feature
from scriptcontract.project_files import ProjectFileError, read_project_file

if TYPE_CHECKING:
    from scriptcontract.cases.matching import Actual
    from scriptcontract.config import ProjectConfig
    from scriptcontract.executor import PythonExecutor
    from scriptcontract.executor.debugger import Debugger
    from scriptcontract.executor.result import ExecutionResult
    from scriptcontract.lsp.configuration import DocumentSettings
    from scriptcontract.lsp.run_inputs import RunArguments
    from scriptcontract.lsp.server import ScriptContractServer
    from scriptcontract.trust import TrustVerdict

logger = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 5 * 1024 * 1024
# Files besides the script that one run's diagnostics read lines from (its traceback's).
MAX_FILES_READ = 50
# Scripts whose last run is kept for "Add as case" (the most recently run).
KEPT_LAST_RUNS = 8
# The analyser's rule for text written to stdout besides the JSON (SCR105).
STRAY_STDOUT_RULE = "stray-stdout-output"
# The analyser's rules for paths that may lead out of the project (SCR301 and kin).
PATH_RULES = frozenset(
    {"absolute-path-outside-project", "parent-directory-escape", "unchecked-input-path"}
)
CANCELLED = "cancelled"
# Where a run's inputs came from, as a progress message says it.
INPUTS_ORIGIN = {
    "arguments": "the inputs you gave",
    "inputsFile": "an inputs file",
    "sidecar": "its inputs file",
    "inferred": "inputs inferred from the keys it reads",
}


@dataclass(frozen=True)
class RunSuccess:
    """A successful run, as its inlay hint shows it."""

    label: str
    output: str


class RunManager(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._tasks = LatestTasks()
        self._outcomes: dict[str, str] = {}
        self._touched: dict[str, set[str]] = {}  # script uri -> uris with its run results
        self._successes: dict[str, RunSuccess] = {}
        # script uri -> (diagnostic's uri, its message) -> the project's interpreter that has
        # the module the run missed: "Use … for runs" for clients that keep no `data`.
        self._interpreters: dict[str, dict[tuple[str, str], dict[str, str]]] = {}
        # script uri -> the inputs and what its last run gave, for "Add as case": only the
        # scripts run last, so that many runs with big outputs hold no memory.
        self._last: OrderedDict[str, tuple[dict[str, Any], Actual]] = OrderedDict()

    # --- events ---------------------------------------------------------------------

    def document_changed(self, document: Document) -> None:
        # Run results describe the old text.
        self.clear_results(document.uri)
        for script, uris in self._touched.items():
            if document.uri in uris and script != document.uri:
                self.server.diagnostics.clear(RUN_SOURCE, document.uri)

    def file_deleted(self, uri: str) -> None:
        self._outcomes.pop(uri, None)
        self._last.pop(uri, None)

    def shutdown(self) -> None:
        self._tasks.cancel_all()
        if "scriptcontract.executor.warm_runner" in sys.modules:
            from scriptcontract.executor.warm_runner import stop_warm_runners

            with contextlib.suppress(RuntimeError):  # no running loop: nothing was started
                stop_warm_runners()

    def outcome(self, uri: str) -> str | None:
        return self._outcomes.get(uri)

    def success(self, uri: str) -> RunSuccess | None:
        """The last run's success while the file is as it ran (for the inlay hint)."""
        return self._successes.get(uri)

    def last_run(self, uri: str) -> tuple[dict[str, Any], Actual] | None:
        """The inputs of the script's last run and what it gave, while its text is unchanged
        (for the scripts run last)."""
        return self._last.get(uri)

    def forget_last_run(self, uri: str) -> None:
        """The script's last run became a case: "Add as case" is offered again after the next
        run only (twice would add the same case twice)."""
        if self._last.pop(uri, None) is not None:
            self.refresh_lenses()

    def clear_results(self, uri: str) -> None:
        self._last.pop(uri, None)
        for touched in self._touched.pop(uri, set()) | {uri}:
            self.server.diagnostics.clear(RUN_SOURCE, touched)
        self._successes.pop(uri, None)
        self._interpreters.pop(uri, None)

    def offered_python(self, uri: str, message: str) -> dict[str, str] | None:
        """What a run diagnostic in `uri` with `message` offers to name (`use_python.offer`)."""
        for offered in self._interpreters.values():
            if (uri, message) in offered:
                return offered[(uri, message)]
        return None

    # --- one run --------------------------------------------------------------------

    def refuse(
        self, arguments: RunArguments, message: str, anyway: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A run that cannot start: the answer says why, and so does a message. `anyway`:
        the arguments that, added to the run's, start it regardless (`runAnyway`)."""
        from scriptcontract.executor.result import ExecutionResult, SandboxReport

        if not self.server.caps.shows_run_outcomes:
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )
        result = ExecutionResult(
            success=False,
            error=message,
            error_kind="validation",
            script_path=arguments.uri,
            sandbox=SandboxReport(),
        )
        refused = answer(result)
        if anyway is not None:
            refused["runAnyway"] = anyway
        return refused

    async def run(
        self,
        arguments: RunArguments,
        work_done_token: types.ProgressToken | None,
        debugger: Debugger | None = None,
    ) -> dict[str, Any]:
        """Runs the script (under `debugger`: a debug run, see executor/debugger.py)."""
        uri = arguments.uri
        path = path_of(uri)
        if path is None:
            return self.refuse(
                arguments,
                f"{uri} is not a file on disk: save it to run it (it is linted meanwhile).",
            )
        settings = self.server.configuration.for_path(path)
        root = settings.root or path.parent
        try:
            source = read_script(path, root)
        except ProjectFileError as exc:
            return self.refuse(arguments, f"Cannot read {path}: {exc.reason}")
        document = self.server.documents.get(uri)
        if document is not None and document.text != source:
            return self.refuse(
                arguments,
                f"{path.name} has unsaved changes; save it before running "
                "(a run uses the file on disk).",
            )
        from scriptcontract.lsp.run_inputs import InputsError, resolve_inputs

        refusal = self._configuration_refusal(root, settings)
        if refusal is not None:
            return self.refuse(arguments, refusal)
        try:
            inputs = resolve_inputs(arguments, path, root, source)
        except InputsError as exc:
            return self.refuse(arguments, f"Not run: {exc}")
        warning = None
        if arguments.schema_check:
            # An inference of the script's inputs: off the loop, as every parse is.
            refused, warning = await asyncio.to_thread(
                inputs_verdict, path, root, inputs.inputs, source
            )
            if refused is not None:
                return self.refuse(arguments, f"Not run: {refused}", {"schemaCheck": False})
            if warning is not None:
                self._warn(path, warning)

        task = self._tasks.replace(uri)
        self.clear_results(uri)
        if debugger is not None and self._outcomes.pop(uri, None) is not None:
            # A debug run may wait at a breakpoint for minutes: meanwhile the lens must not
            # show the outcome of the run before it as if it were this one's.
            self.refresh_lenses()
        progress = await self.begin_progress(
            work_done_token,
            f"Running {path.name}",
            f"with {INPUTS_ORIGIN.get(inputs.source, inputs.source)}",
        )
        try:
            result = await self._execute(
                path, root, settings, inputs.inputs, arguments.timeout_ms, debugger
            )
        except ValueError as exc:  # the executor refuses its set-up (a root that went away)
            self.end_progress(progress, "not run")
            return self.refuse(arguments, f"Not run: {exc}")
        except asyncio.CancelledError:
            # The user asked for it: not an error, and no result to show but the word.
            logger.info("Cancelled the run of %s; its processes were killed", path)
            self._outcomes[uri] = CANCELLED
            self.end_progress(progress, CANCELLED)
            self.refresh_lenses()
            raise
        finally:
            self._tasks.release(uri, task)
        logger.info(
            "Ran %s (inputs: %s): %s", path, inputs.origin or inputs.source, result.error or "ok"
        )
        if result.stderr:
            logger.info("stderr of %s:\n%s", path, result.stderr)
        self._publish(uri, path, root, source, result)
        self._keep_last(uri, inputs.inputs, result)
        self.end_progress(progress, self._outcomes[uri])
        self.refresh_lenses()
        self._refresh_inlay_hints()
        ran = answer(result)
        if warning is not None:
            ran["warning"] = warning
        return ran

    def _warn(self, path: Path, warning: str) -> None:
        """The inputs may not be what the script reads: said before the run, which goes on.
        The editors' own clients show it with the result (`warning`); others get a message."""
        logger.info("%s: %s", path.name, warning)
        if not self.server.caps.shows_run_outcomes:
            self.server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Warning, message=f"{path.name}: {warning}"
                )
            )

    def configuration_refusal(self, root: Path, settings: DocumentSettings) -> str | None:
        """Why a run (or a debug session) with this configuration is refused, or None."""
        return self._configuration_refusal(root, settings)

    def _keep_last(self, uri: str, inputs: dict[str, Any], result: ExecutionResult) -> None:
        from scriptcontract.case_runner import actual_of

        self._last[uri] = (inputs, actual_of(result))
        self._last.move_to_end(uri)
        while len(self._last) > KEPT_LAST_RUNS:
            self._last.popitem(last=False)

    def _configuration_refusal(self, root: Path, settings: DocumentSettings) -> str | None:
        """Why the project's configuration cannot be used for a run: it has errors (a typo
        must not run the script with defaults), or it loosens the sandbox untrusted."""
        from scriptcontract.trust import check_trust

        project = settings.project
        errors = configuration_errors(project, root)
        if errors is not None:
            return f"Not run: {errors}"
        given = ["executor.python"] if settings.client.run.python else []
        if settings.client.run.timeout_ms is not None:
            given.append("executor.timeout-ms")  # the editor's, not the file's
        verdict = check_trust(root, project, given=given)
        if verdict.ok:
            return None
        if self.server.caps.show_message_request and verdict.source and not verdict.reason:
            _keep(asyncio.ensure_future(self._offer_trust(verdict)))
        return f"Not run: {verdict.message()}"

    async def _offer_trust(self, verdict: TrustVerdict) -> None:
        """Ask the user, through the editor, whether the loosening settings are theirs."""
        from scriptcontract.trust import TrustStore

        trust = "Trust these settings"
        shown = ", ".join(map(str, verdict.loosened))
        try:
            answer = await self.server.window_show_message_request_async(
                types.ShowMessageRequestParams(
                    type=types.MessageType.Warning,
                    message=f"{verdict.source} loosens the sandbox ({shown}). Trust it?",
                    actions=[types.MessageActionItem(title=trust)],
                )
            )
        except Exception as exc:  # the client could not ask: the run stays refused
            logger.info("Could not ask about trusting %s: %s", verdict.source, exc)
            return
        if answer is None or answer.title != trust or verdict.source is None:
            return
        try:
            TrustStore().trust(verdict.source, verdict.loosened)
        except OSError as exc:
            message = f"Could not record the trust: {exc.strerror or exc}"
        else:
            message = f"Trusted {verdict.source}: run the script again."
        self.server.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )

    async def _execute(
        self,
        path: Path,
        root: Path,
        settings: DocumentSettings,
        inputs: dict[str, Any],
        timeout_ms: int | None,
        debugger: Debugger | None = None,
    ) -> ExecutionResult:
        executor = executor_for(root, settings)
        return await executor.execute_script(path, inputs, timeout_ms=timeout_ms, debugger=debugger)

    def _publish(
        self, uri: str, path: Path, root: Path, source: str, result: ExecutionResult
    ) -> None:
        from pygls.uris import from_fs_path

        from scriptcontract.lsp.line_map import LineMap
        from scriptcontract.lsp.run_diagnostics import (
            outcome_text,
            run_diagnostics,
            success_label,
        )
        from scriptcontract.lsp.use_python import offer

        last = self.server.linter.last(uri)
        findings = last.findings if last is not None and last.text == source else []
        lines_of = _ProjectLines(self.server, root)
        found = run_diagnostics(
            result,
            script=path,
            project_root=root,
            script_source=source,
            lines_of=lines_of,
            stray_writes=[f.range for f in findings if f.name == STRAY_STDOUT_RULE],
            flagged_paths=[f.range for f in findings if f.name in PATH_RULES],
        )
        # The user may have typed while the script ran: the diagnostics describe the text
        # the run started from, so they move with the lines that moved since.
        document = self.server.documents.get(uri)
        current = document.lines if document is not None else split_lines(source)
        moved = LineMap(split_lines(source), current)
        script = _real(path)
        by_uri: dict[str, list[types.Diagnostic]] = {}
        offered: dict[tuple[str, str], dict[str, str]] = {}
        for item in found:
            finding = item.finding
            if item.path == script:
                finding = moved.finding(finding, str(script))
            if finding.code == "success" and self.server.caps.inlay_hints:
                self._successes[uri] = RunSuccess(
                    label=success_label(result),
                    output=json.dumps(result.output, ensure_ascii=False, indent=2),
                )
                continue
            target = (
                uri if item.path == script else (from_fs_path(str(item.path)) or str(item.path))
            )
            lines = current if target == uri else (lines_of(item.path) or [])
            caps = self.server.caps
            offered_here = offer(uri, item.use_python) if item.use_python else None
            diagnostic = run_diagnostic(finding, target, lines, caps, lines_of, offered_here)
            by_uri.setdefault(target, []).append(diagnostic)
            if offered_here is not None:
                offered[(target, diagnostic.message)] = offered_here
        self._interpreters[uri] = offered
        self._touched[uri] = set(by_uri) - {uri}
        for target in by_uri.keys() | {uri}:
            open_document = self.server.documents.get(target)
            version = open_document.version if open_document is not None else None
            self.server.diagnostics.set(RUN_SOURCE, target, by_uri.get(target, []), version)
        self._outcomes[uri] = outcome_text(result)

    # --- progress -------------------------------------------------------------------

    async def begin_progress(
        self, token: types.ProgressToken | None, title: str, message: str
    ) -> types.ProgressToken | None:
        """Cancellable work-done progress for the current task (None: the client has none)."""
        progress = self.server.work_done_progress
        if token is None:
            if not self.server.caps.work_done_progress:
                return None
            token = f"scriptcontract-run-{uuid.uuid4()}"
            try:
                await progress.create_async(token)
            except Exception as exc:
                logger.info("No progress for this run: the client said %s", exc)
                return None
        progress.begin(
            token,
            types.WorkDoneProgressBegin(title=title, message=message, cancellable=True),
        )
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        cancelled = progress.tokens.get(token)
        if cancelled is not None and task is not None:

            def on_cancel(future: Any) -> None:
                if future.cancelled():
                    loop.call_soon_threadsafe(task.cancel)

            cancelled.add_done_callback(on_cancel)
        return token

    def end_progress(self, token: types.ProgressToken | None, message: str) -> None:
        if token is None:
            return
        progress = self.server.work_done_progress
        progress.end(token, types.WorkDoneProgressEnd(message=message))
        progress.tokens.pop(token, None)

    def refresh_lenses(self) -> None:
        if self.server.caps.code_lens_refresh:
            self.server.protocol.send_request(types.WORKSPACE_CODE_LENS_REFRESH, None)

    def _refresh_inlay_hints(self) -> None:
        if self.server.caps.inlay_hint_refresh:
            self.server.protocol.send_request(types.WORKSPACE_INLAY_HINT_REFRESH, None)


def answer(result: ExecutionResult) -> dict[str, Any]:
    """The command's answer: the result, the one-line outcome the editors show, and the
    output as text to show (`output_json`: the editors' own decoding of `output` loses the
    order of its keys or the digits of its numbers)."""
    from scriptcontract.lsp.run_diagnostics import outcome_text
    from scriptcontract.shown_values import output_json

    answered = {**result.model_dump(mode="json"), "outcome": outcome_text(result)}
    if result.output is not None:
        answered["output_text"] = output_json(result.output)
    return answered


RUN_ANYWAY = '"Run anyway" runs it'
CASES_ANYWAY = '"Run anyway" runs them'
# The editors' plugins offer to debug anyway (the refusal's `runAnyway`); a client without
# one is offered no session past a refusal: the run's "Run anyway" is.
DEBUG_ANYWAY = '"Debug anyway" starts it'
DEBUG_REFUSED = '"Run with inputs" offers "Run anyway"'


def inputs_verdict(
    path: Path, root: Path, inputs: dict[str, Any], source: str, anyway: str = RUN_ANYWAY
) -> tuple[str | None, str | None]:
    """What the script's schema says of a run's inputs, as `scriptcontract run` checks them:
    why its declared schema refuses them (nothing starts), else a warning when they break
    the schema inferred from the code or hold a key it never reads (the run goes on)."""
    from scriptcontract.lsp.lint import relative_path
    from scriptcontract.schema_check import inferred_warning, schema_refusal

    def shown(schema: Path) -> str:
        return relative_path(schema, root) or str(schema)

    refused = schema_refusal(path, inputs, shown=shown, anyway=anyway)
    if refused is not None:
        return refused, None
    return None, inferred_warning(path, inputs, source, shown(path))


def configuration_errors(project: ProjectConfig, root: Path) -> str | None:
    """The project's configuration errors in one line (the first, and how many more), the
    file named as in the project (scriptcontract.toml), not by a path the user never typed."""
    from scriptcontract.lsp.lint import relative_path

    if not project.errors:
        return None
    more = f" (and {len(project.errors) - 1} more)" if len(project.errors) > 1 else ""
    first = project.errors[0]
    shown = first._replace(path=relative_path(Path(first.path), root) or first.path)
    return f"the project's configuration has errors: {shown}{more}"


def executor_for(root: Path, settings: DocumentSettings) -> PythonExecutor:
    """The project's executor with the editor's settings over the project's (ValueError when
    the executor refuses the root)."""
    from scriptcontract.config import project_executor

    return project_executor(
        root,
        settings.project,
        timeout_ms=settings.timeout_ms,
        python=settings.python,
        mode=settings.mode,
    )


# Prompts under way: held here, since the loop keeps only weak references to tasks.
_prompts: set[asyncio.Future[None]] = set()


def _keep(task: asyncio.Future[None]) -> None:
    _prompts.add(task)
    task.add_done_callback(_prompts.discard)


def read_script(path: Path, root: Path) -> str:
    """The text of a script (or another file) of the project at `root`, as a run reads it."""
    data = read_project_file(root, path, max_bytes=MAX_SOURCE_BYTES)
    return data.decode("utf-8", errors="replace")


class _ProjectLines:
    """The lines of the project files a run's stderr names, for one run's diagnostics.

    What stderr names is the script's to choose: a FIFO, a device, a symlink to a secret,
    one file in thousands of forged frames, or thousands of files. Only regular files of
    the project are read (never blocking), each once, and at most `MAX_FILES_READ` of
    them; past that, diagnostics start at the line's first column.
    """

    def __init__(self, server: ScriptContractServer, root: Path) -> None:
        self.server = server
        self.root = root
        self.read: dict[Path, list[str] | None] = {}
        self.files_read = 0

    def __call__(self, path: Path) -> list[str] | None:
        if path in self.read:
            return self.read[path]
        real = _real(path)
        for document in self.server.documents:
            if document.path is not None and _real(document.path) == real:
                self.read[path] = document.lines
                return document.lines
        if self.files_read >= MAX_FILES_READ:
            return None
        self.files_read += 1
        try:
            self.read[path] = split_lines(read_script(path, self.root))
        except ProjectFileError as exc:
            logger.info("Not read for run diagnostics: %s", exc)
            self.read[path] = None
        return self.read[path]


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path
