"""When documents are linted, off the event loop, and never published for an old version.

On open and save a document is linted at once; on change after `lint.debounceMs` (when
`lint.run` is "onType"). The analysis runs in a worker thread, so the loop keeps reading
messages; the result is stored only if the document still has the version it was computed
for — a newer edit has already scheduled its own. Clients that pull get their analysis
when they pull (`lint_current`), and in "onSave" mode a pull answers the last saved state.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.contract.project_modules import ModuleCache
from scriptcontract.lsp.convert import LINT_SOURCE, lint_diagnostic
from scriptcontract.lsp.documents import Document, path_of, split_lines
from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from scriptcontract.contract.finding import Finding
    from scriptcontract.contract.incremental import IncrementalParser
    from scriptcontract.lsp.configuration import DocumentSettings
    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)

# Documents whose last tree is kept for incremental reparsing: the few being typed in. A tree
# costs about 3 MB per 1,000 lines (measured), so not every open document keeps one.
KEPT_TREES = 4


@dataclass(frozen=True)
class LintResult:
    """What one analysis found for one version of one document."""

    uri: str
    version: int | None
    text: str
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    is_script: bool
    modules: frozenset[str] = frozenset()  # the project's module files the analysis followed


class Linter(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._pending: dict[str, tuple[asyncio.Task[None], frozenset[str]]] = {}
        self._results: dict[str, LintResult] = {}
        # (version, text) at the last open or save: what "onSave" mode lints.
        self._saved: dict[str, tuple[int | None, str]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._frozen = False
        # Used only on the pool's one thread, most recently used last.
        self._parsers: OrderedDict[str, IncrementalParser] = OrderedDict()
        # The findings of the last text of a document that parsed, and what they were
        # computed with (on the pool's thread only).
        self._parsed: dict[str, tuple[object, list[Finding]]] = {}
        # The project modules each document's last analysis followed, to analyse it again
        # when one of them is edited; and their summaries, shared by all documents.
        self._uses: dict[str, frozenset[str]] = {}
        self._modules = ModuleCache()

    @property
    def pool(self) -> ThreadPoolExecutor:
        # One worker: analyses of the same document are ordered, and the GIL would not
        # let a second one go faster anyway.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scriptcontract-lint")
        return self._pool

    # --- events ---------------------------------------------------------------------

    def document_opened(self, document: Document) -> None:
        self._saved[document.uri] = (document.version, document.text)
        self.schedule(document.uri, "open")
        # Scripts that import it read its file (or found none) until now: the buffer wins.
        self._dependents_of(document, "dependency opened")

    def document_changed(self, document: Document) -> None:
        self.schedule(document.uri, "change")
        self._dependents_of(document, "dependency")

    def document_saved(self, document: Document) -> None:
        self._saved[document.uri] = (document.version, document.text)
        self.schedule(document.uri, "save")
        self._dependents_of(document, "dependency saved")

    def _dependents_of(self, document: Document, reason: str) -> None:
        """Analyse again the open scripts whose analysis followed this module."""
        if document.path is not None:
            self._users_of(str(document.path), reason, document.uri)

    def _users_of(self, path: str, reason: str, own_uri: str | None = None) -> None:
        """Analyse again the open scripts whose analysis read (or looked for) `path`."""
        for uri, used in list(self._uses.items()):
            if uri != own_uri and path in used and self.server.documents.get(uri):
                self._results.pop(uri, None)
                self.schedule(uri, reason)

    def file_changed(self, uri: str) -> None:
        if self.server.documents.get(uri) is not None:
            return  # an open buffer wins over its file, and its edits re-lint its users
        path = path_of(uri)
        if path is not None:
            self._users_of(str(path), "dependency changed on disk")

    def document_closed(self, document: Document) -> None:
        self._forget(document.uri)
        self._uses.pop(document.uri, None)
        self._dependents_of(document, "dependency saved")  # back to its text on disk
        self._saved.pop(document.uri, None)
        if self._pool is not None:
            self._pool.submit(self._parsers.pop, document.uri, None)
            self._pool.submit(self._parsed.pop, document.uri, None)

    def file_deleted(self, uri: str) -> None:
        self._forget(uri)
        path = path_of(uri)
        if path is not None:
            self._users_of(str(path), "dependency deleted on disk")
        document = self.server.documents.get(uri)
        if document is not None:
            # Still open in the editor: nothing to show until it is edited or saved again.
            empty = LintResult(uri, document.version, document.text, [], [], False)
            self._store(empty, deliver=False)

    def settings_changed(self) -> None:
        for document in self.server.documents:
            shown = self._results.get(document.uri)
            if shown is not None and (shown.version, shown.text) == (
                document.version,
                document.text,
            ):
                # Switching to "onSave" keeps what the editor shows until the next save
                # (not the findings of the text on disk): the text last linted becomes the
                # one that mode lints, again now with the new settings.
                self._saved[document.uri] = (shown.version, shown.text)
        self._results.clear()
        for document in self.server.documents:
            self.schedule(document.uri, "settings")

    def shutdown(self) -> None:
        for uri in list(self._pending):
            self._cancel(uri)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # --- scheduling -----------------------------------------------------------------

    def _forget(self, uri: str) -> None:
        self._cancel(uri)
        self._results.pop(uri, None)

    def _cancel(self, uri: str) -> frozenset[str]:
        pending = self._pending.pop(uri, None)
        if pending is None:
            return frozenset()
        pending[0].cancel()
        return pending[1]

    def schedule(self, uri: str, reason: str) -> None:
        """Lint `uri` soon, replacing a pending lint (and inheriting its reasons)."""
        reasons = self._cancel(uri) | {reason}
        task = asyncio.get_running_loop().create_task(self._lint_later(uri, reasons))
        self._pending[uri] = (task, reasons)
        task.add_done_callback(lambda done: self._finished(uri, done))

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        pending = self._pending.get(uri)
        if pending is not None and pending[0] is task:
            del self._pending[uri]
        if not task.cancelled() and task.exception() is not None:
            logger.error("Linting %s failed", uri, exc_info=task.exception())

    async def _lint_later(self, uri: str, reasons: frozenset[str]) -> None:
        await self.server.configuration.ready.wait()
        document = self.server.documents.get(uri)
        if document is None:
            return
        settings = self.server.configuration.for_document(document)
        on_save = settings.client.lint.run == "onSave"
        if on_save and reasons <= {"change", "dependency"}:
            return
        if self.server.caps.pull_diagnostics and reasons <= {"open", "change"}:
            return  # the client pulls for these; it gets the analysis in its answer
        if reasons <= {"change", "dependency"} and settings.client.lint.debounce_ms:
            await asyncio.sleep(settings.client.lint.debounce_ms / 1000)
        result = await self.analyse(document, on_save=on_save)
        if result is not None:
            self._store(result, deliver=True)

    # --- analysis -------------------------------------------------------------------

    def _target(self, document: Document, on_save: bool) -> tuple[int | None, str]:
        if on_save and document.uri in self._saved:
            return self._saved[document.uri]
        return document.version, document.text

    def _still_current(self, uri: str, version: int | None, text: str, on_save: bool) -> bool:
        current = self.server.documents.get(uri)
        if current is None:
            return False
        if on_save:
            return self._saved.get(uri) == (version, text)
        return current.version == version and current.text == text

    async def analyse(self, document: Document, *, on_save: bool = False) -> LintResult | None:
        """Analyse the document (its saved state in "onSave" mode); None if it moved on."""
        uri, path, language_id = document.uri, document.path, document.language_id
        version, text = self._target(document, on_save)
        settings = self.server.configuration.for_document(document)
        caps = self.server.caps
        enabled = settings.client.lint.enabled
        # The project's modules as the editor shows them (as last saved, in "onSave" mode):
        # an open helper's unsaved edits are what its scripts are analysed against.
        texts = self._open_texts(on_save)
        root = str(settings.root) if settings.root is not None else None

        def work() -> LintResult:
            from scriptcontract.check.sources import read_module
            from scriptcontract.contract.project_modules import ProjectModules
            from scriptcontract.lsp.lint import lint_text

            parser = self._parser(uri)

            def read(module: str) -> str | None:
                return texts[module] if module in texts else read_module(module)

            modules = ProjectModules(read, root, self._modules)
            findings = (
                lint_text(
                    text,
                    path,
                    settings.root,
                    settings.lint,
                    dict(settings.client.severity),
                    language_id,
                    parser,
                    modules,
                )
                if enabled
                else None
            )
            if findings is not None:
                findings = self._with_findings_kept(uri, text, findings, parser, settings)
            lines = split_lines(text)
            docs = settings.client.docs.base_url
            diagnostics = [lint_diagnostic(f, lines, caps, docs) for f in findings or []]
            return LintResult(
                uri,
                version,
                text,
                findings or [],
                diagnostics,
                findings is not None,
                frozenset(modules.used),
            )

        result = await asyncio.get_running_loop().run_in_executor(self.pool, work)
        self._uses[uri] = result.modules
        if not self._frozen:
            # The analyser's modules are loaded now: keep the collector off everything that
            # lives as long as the server, so full collections stay short while typing.
            self._frozen = True
            gc.freeze()
        return result if self._still_current(uri, version, text, on_save) else None

    def _with_findings_kept(
        self,
        uri: str,
        text: str,
        findings: list[Finding],
        parser: IncrementalParser,
        settings: DocumentSettings,
    ) -> list[Finding]:
        """While a statement is half typed the text does not parse, and its one syntax error
        would replace every finding (they would flicker on every keystroke in a block): the
        findings of the last text that parsed, outside the statements the edits touched,
        stay beside it, moved with their lines. On the pool's thread only."""
        from scriptcontract.contract.analyze import SYNTAX_ERROR_CODE
        from scriptcontract.lsp.line_map import moved_finding

        key = (settings.lint, tuple(sorted(settings.client.severity.items())))
        if not any(finding.code == SYNTAX_ERROR_CODE for finding in findings):
            self._parsed[uri] = (key, findings)
            return findings
        kept, line_of = self._parsed.get(uri), parser.lines_kept(text)
        if kept is None or kept[0] != key or line_of is None:
            return findings
        moved = [moved_finding(finding, line_of) for finding in kept[1]]
        carried = [finding for finding in moved if finding is not None]
        return sorted(
            findings + carried,
            key=lambda f: (f.range.start.line, f.range.start.character, f.code),
        )

    def _open_texts(self, on_save: bool) -> dict[str, str]:
        texts: dict[str, str] = {}
        for document in self.server.documents:
            if document.path is not None:
                saved = self._saved.get(document.uri) if on_save else None
                texts[str(document.path)] = saved[1] if saved else document.text
        return texts

    def _parser(self, uri: str) -> IncrementalParser:
        """The document's incremental parser (on the pool's thread only)."""
        from scriptcontract.contract.incremental import IncrementalParser

        parser = self._parsers.pop(uri, None) or IncrementalParser()
        self._parsers[uri] = parser
        while len(self._parsers) > KEPT_TREES:
            dropped, _ = self._parsers.popitem(last=False)
            self._parsed.pop(dropped, None)
        return parser

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
        """The lint result of what the document shows now, analysing if needed.

        A pull in "onSave" mode gets the result of the last saved text instead. Otherwise,
        in "onSave" mode, the analysis of unsaved text (for a fix-all) is returned but not
        kept: what the editor shows stays the saved text's until the next save.
        """
        on_save_mode = self.server.configuration.for_document(document).client.lint.run == "onSave"
        on_save = for_pull and on_save_mode
        for _ in range(3):
            version, text = self._target(document, on_save)
            stored = self._results.get(document.uri)
            if stored is not None and stored.version == version and stored.text == text:
                return stored
            result = await self.analyse(document, on_save=on_save)
            if result is not None:
                if on_save or not on_save_mode:
                    self._store(result, deliver=not for_pull)
                return result
            latest = self.server.documents.get(document.uri)
            if latest is None:
                return None
            document = latest
        return None
