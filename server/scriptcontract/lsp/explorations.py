"""Exploration in the editor: what the last exploration of each script found, as diagnostics.

The exploration itself is `scriptcontract.explore` (`explore/`), run here on the project's
executor with the editor's settings, as cases run. Each failure becomes a diagnostic at the
line of the script it was raised on (a failure without such a line, on the first line), with
its smallest input; "Save input as case" (`explore_actions.py`) turns it into a case. An edit
of the script drops them: their lines describe the text that was explored.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.convert import EXPLORE_SOURCE, position
from scriptcontract.lsp.documents import path_of, split_lines
from scriptcontract.lsp.latest_tasks import LatestTasks
from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from scriptcontract.explore.session import Exploration
    from scriptcontract.lsp.documents import Document
    from scriptcontract.lsp.server import ScriptContractServer

DIAGNOSTIC_CODE = "explored"
_INPUT_CHARS = 200


class ExploreRefused(Exception):
    """Why the script cannot be explored now; `str()` is the message for the user."""


@dataclass(frozen=True)
class Explored:
    exploration: Exploration
    text: str  # the script as explored


class Explorations(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._last: dict[str, Explored] = {}
        self._tasks = LatestTasks()

    # --- events ---------------------------------------------------------------------

    def document_changed(self, document: Document) -> None:
        if self._last.pop(document.uri, None) is not None:
            self.server.diagnostics.clear(EXPLORE_SOURCE, document.uri)

    def document_closed(self, document: Document) -> None:
        self._last.pop(document.uri, None)

    def shutdown(self) -> None:
        self._tasks.cancel_all()

    def last(self, uri: str) -> Explored | None:
        return self._last.get(uri)

    # --- exploring ------------------------------------------------------------------

    async def explore(
        self,
        uri: str,
        *,
        seed: int | None,
        max_runs: int,
        max_seconds: float,
        token: types.ProgressToken | None,
    ) -> dict[str, Any]:
        from scriptcontract.case_runner import default_jobs
        from scriptcontract.explore.session import Budget, explore

        path, root, source, chosen, executor = self._prepare(uri)
        task = self._tasks.replace(uri)
        runs = self.server.runs
        used_seed = seed if seed is not None else secrets.randbelow(2**32)
        progress = await runs.begin_progress(
            token, f"Exploring {path.name}", f"up to {max_runs} generated inputs"
        )
        try:
            exploration = await explore(
                executor,
                path,
                root,
                chosen.schema,
                origin=chosen.origin,
                seed=used_seed,
                budget=Budget(runs=max_runs, seconds=max_seconds, jobs=default_jobs()),
                valid=chosen.valid,
                literals=chosen.literals,
            )
        except asyncio.CancelledError:
            runs.end_progress(progress, "cancelled")
            raise
        finally:
            self._tasks.release(uri, task)
        refused = exploration.nothing_started
        if refused is not None:
            runs.end_progress(progress, "no run started")
            raise ExploreRefused(f"Not explored: no run started: {refused}")
        failures = len(exploration.failures)
        runs.end_progress(
            progress,
            f"{failures} failure{'s' if failures != 1 else ''}" if failures else "no failure",
        )
        self._last[uri] = Explored(exploration, source)
        diagnostics = self._diagnostics(uri, exploration, source)
        document = self.server.documents.get(uri)
        version = document.version if document is not None else None
        self.server.diagnostics.set(EXPLORE_SOURCE, uri, diagnostics, version)
        return self._answer(uri, exploration, diagnostics)

    def _prepare(self, uri: str) -> tuple[Path, Path, str, Any, Any]:
        from scriptcontract.explore.schema_choice import exploration_schema
        from scriptcontract.lsp.case_runs import configuration_problem
        from scriptcontract.lsp.runs import configuration_errors, executor_for, read_script
        from scriptcontract.project_files import ProjectFileError
        from scriptcontract.schema_files import SchemaFileError

        path = path_of(uri)
        if path is None:
            raise ExploreRefused(f"{uri} is not a file on disk: save the script first")
        root = self.server.configuration.for_path(path).root or path.parent
        try:
            source = read_script(path, root)
        except ProjectFileError as exc:
            raise ExploreRefused(f"Cannot read {path.name}: {exc.reason}") from exc
        document = self.server.documents.get(uri)
        if document is not None and document.text != source:
            raise ExploreRefused(
                f"{path.name} has unsaved changes; save it before exploring it "
                "(the runs use the file on disk)."
            )
        settings = self.server.configuration.for_path(path)
        # Said as a run says it: the cases' wording ("no case was run") and the file's
        # absolute path are not what a user exploring a script reads.
        errors = configuration_errors(settings.project, root)
        if errors is not None:
            raise ExploreRefused(f"Not explored: {errors}")
        problem = configuration_problem(root, settings)
        if problem is not None:
            raise ExploreRefused(f"Not explored: {problem}")
        try:
            chosen = exploration_schema(path, source)
            executor = executor_for(root, settings)
        except (SchemaFileError, ValueError) as exc:
            raise ExploreRefused(f"Not explored: {exc}") from exc
        return path, root, source, chosen, executor

    # --- what the client gets -------------------------------------------------------

    def _diagnostics(
        self, uri: str, exploration: Exploration, source: str
    ) -> list[types.Diagnostic]:
        lines = split_lines(source)
        encoding = self.server.caps.position_encoding
        script = exploration.script.resolve()
        found: list[types.Diagnostic] = []
        for index, failure in enumerate(exploration.failures):
            signature = failure.signature
            located = (
                signature.path is not None
                and signature.line is not None
                and (exploration.root / signature.path).resolve() == script
            )
            line = max(0, (signature.line or 1) - 1) if located else 0
            text = lines[line] if line < len(lines) else ""
            start = len(text) - len(text.lstrip())
            shown = json.dumps(failure.inputs, ensure_ascii=False)
            if len(shown) > _INPUT_CHARS:
                shown = shown[: _INPUT_CHARS - 1] + "…"
            # Raised in another module of the project: said, since the line is not there.
            where = (
                ""
                if located or signature.path is None
                else f" (at {signature.path}:{signature.line})"
            )
            found.append(
                types.Diagnostic(
                    range=types.Range(
                        start=position(lines, line, start, encoding),
                        end=position(lines, line, len(text.rstrip()), encoding),
                    ),
                    message=(
                        f"{_headline(failure.signature.what(), failure.message)}{where}; "
                        f"smallest input: {shown} (explored with seed {exploration.seed})"
                    ),
                    severity=types.DiagnosticSeverity.Warning,
                    code=DIAGNOSTIC_CODE,
                    source=EXPLORE_SOURCE,
                    data={"uri": uri, "failure": index, "seed": exploration.seed},
                )
            )
        return found

    def _answer(
        self, uri: str, exploration: Exploration, diagnostics: list[types.Diagnostic]
    ) -> dict[str, Any]:
        from scriptcontract.explore.stopping import why_stopped
        from scriptcontract.lsp.case_runs import range_json

        return {
            "uri": uri,
            "schema": exploration.origin,
            "seed": exploration.seed,
            "runs": exploration.runs,
            "stoppedBy": exploration.stopped_by,
            # Said by the editors as it is: the CLI's words, from one place.
            "stopped": why_stopped(exploration),
            "maxRuns": exploration.budget.runs,
            "maxSeconds": exploration.budget.seconds,
            "handledErrors": dict(exploration.handled.most_common()),
            "failures": [
                {
                    "kind": failure.signature.kind,
                    "errorType": failure.signature.error_type,
                    "message": failure.message,
                    "path": failure.signature.path,
                    "line": failure.signature.line,
                    "inputs": failure.inputs,
                    "range": range_json(diagnostic.range),
                }
                for failure, diagnostic in zip(exploration.failures, diagnostics, strict=True)
            ],
        }


def _headline(what: str, message: str) -> str:
    first = message.splitlines()[0] if message else ""
    if first.startswith(what):
        first = first[len(what) :].lstrip(": ")
    return f"{what}: {first}" if first else what
