"""When documents are linted, off the event loop, and never published for an old version.

On open and save a document is linted at once; on change after `lint.debounceMs` (when
`lint.run` is "onType"). The analysis runs in a worker thread, so the loop keeps reading
messages; the result is stored only if the document still has the version it was computed
for — a newer edit has already scheduled its own. Clients that pull get their analysis
when they pull (`lint_current`), and in "onSave" mode a pull answers the last saved state.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.contract.finding import Finding
from scriptcontract.lsp.convert import LINT_SOURCE, lint_diagnostic
from scriptcontract.lsp.documents import Document, split_lines
from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LintResult:
    """What one analysis found for one version of one document."""

    uri: str
    version: int | None
    text: str
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    is_script: bool


class Linter(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._results: dict[str, LintResult] = {}
        self._pool: ThreadPoolExecutor | None = None

    @property
    def pool(self) -> ThreadPoolExecutor:
        # One worker: analyses of the same document are ordered, and the GIL would not
        # let a second one go faster anyway.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scriptcontract-lint")
        return self._pool

    # --- events ---------------------------------------------------------------------

    def document_opened(self, document: Document) -> None:
        self.schedule(document.uri, delay_s=0.0, reason="open")

    def document_changed(self, document: Document) -> None:
        self.schedule(document.uri, delay_s=None, reason="change")

    def document_saved(self, document: Document) -> None:
        self.schedule(document.uri, delay_s=0.0, reason="save")

    def document_closed(self, document: Document) -> None:
        self._cancel(document.uri)
        self._results.pop(document.uri, None)

    def file_deleted(self, uri: str) -> None:
        self._cancel(uri)
        self._results.pop(uri, None)
        document = self.server.documents.get(uri)
        if document is not None:
            # Still open in the editor: nothing to show until it is edited or saved again.
            empty = LintResult(uri, document.version, document.text, [], [], False)
            self._store(empty, deliver=False)

    def settings_changed(self) -> None:
        self._results.clear()
        for document in self.server.documents:
            self.schedule(document.uri, delay_s=0.0, reason="settings")

    def shutdown(self) -> None:
        for uri in list(self._pending):
            self._cancel(uri)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # --- scheduling -----------------------------------------------------------------

    def _cancel(self, uri: str) -> None:
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def schedule(self, uri: str, *, delay_s: float | None, reason: str) -> None:
        """Lint `uri` after `delay_s` (None: the debounce), replacing a pending lint."""
        self._cancel(uri)
        task = asyncio.get_running_loop().create_task(self._lint_later(uri, delay_s, reason))
        self._pending[uri] = task
        task.add_done_callback(lambda done: self._finished(uri, done))

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._pending.get(uri) is task:
            del self._pending[uri]
        if not task.cancelled() and task.exception() is not None:
            logger.error("Linting %s failed", uri, exc_info=task.exception())

    async def _lint_later(self, uri: str, delay_s: float | None, reason: str) -> None:
        await self.server.configuration.ready.wait()
        document = self.server.documents.get(uri)
        if document is None:
            return
        settings = self.server.configuration.for_document(document)
        if reason == "change" and settings.client.lint.run == "onSave":
            return
        if self.server.caps.pull_diagnostics and reason in ("open", "change"):
            return  # the client pulls for these; it gets the analysis in its answer
        if delay_s is None:
            delay_s = settings.client.lint.debounce_ms / 1000
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        result = await self.analyse(document)
        if result is not None:
            self._store(result, deliver=True)

    # --- analysis -------------------------------------------------------------------

    async def analyse(self, document: Document) -> LintResult | None:
        """Analyse the document as it is now; None when it changed meanwhile."""
        uri, version, text, path = document.uri, document.version, document.text, document.path
        settings = self.server.configuration.for_document(document)
        caps = self.server.caps
        enabled = settings.client.lint.enabled

        def work() -> LintResult:
            from scriptcontract.lsp.lint import lint_text

            findings = (
                lint_text(text, path, settings.root, settings.lint, dict(settings.client.severity))
                if enabled
                else None
            )
            lines = split_lines(text)
            diagnostics = [lint_diagnostic(finding, lines, caps) for finding in findings or []]
            return LintResult(uri, version, text, findings or [], diagnostics, findings is not None)

        result = await asyncio.get_running_loop().run_in_executor(self.pool, work)
        current = self.server.documents.get(uri)
        if current is None or current.version != version or current.text != text:
            return None
        return result

    def _store(self, result: LintResult, *, deliver: bool) -> None:
        self._results[result.uri] = result
        self.server.diagnostics.set(
            LINT_SOURCE, result.uri, result.diagnostics, result.version, deliver=deliver
        )

    def last(self, uri: str) -> LintResult | None:
        return self._results.get(uri)

    async def lint_current(
        self, document: Document, *, for_pull: bool = False
    ) -> LintResult | None:
        """The lint result for the document's current version, analysing if needed.

        For a pull in "onSave" mode, the last stored result stands (the unsaved text is
        not linted); a document never linted yet is linted as on open.
        """
        stored = self._results.get(document.uri)
        if (
            stored is not None
            and stored.version == document.version
            and stored.text == document.text
        ):
            return stored
        if for_pull and stored is not None:
            settings = self.server.configuration.for_document(document)
            if settings.client.lint.run == "onSave":
                return stored
        for _ in range(3):
            result = await self.analyse(document)
            if result is not None:
                self._store(result, deliver=not for_pull)
                return result
            latest = self.server.documents.get(document.uri)
            if latest is None:
                return None
            document = latest
        return None
