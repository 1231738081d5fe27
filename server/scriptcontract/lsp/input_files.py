"""The inputs files beside a script in the editor: checked as they are typed, and again when
the script or its schema file changes.

An open `<name>.inputs.json` or `<name>.cases.json` is held to the schema of `<name>.py`
(`json_inputs`): the script and `<name>.schema.json` as the editor has them (unsaved edits
included), else as on disk. The schema is worked out off the event loop and kept per
script until either text changes; while the script does not parse (a statement half typed),
the schema of its last text that parsed stays in use, so the file's diagnostics do not
come and go on every keystroke.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.convert import INPUTS_SOURCE, position
from scriptcontract.lsp.documents import Document, path_of
from scriptcontract.lsp.latest_checks import LatestChecks
from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from scriptcontract.json_inputs.places import FileKind
    from scriptcontract.json_inputs.problems import LocatedProblem
    from scriptcontract.json_inputs.script_schema import ScriptSchema
    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class _Texts:
    source: str
    schema_text: str | None


class InputFiles(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self._schemas: dict[Path, tuple[_Texts, ScriptSchema]] = {}
        self._checks = LatestChecks(logger, "the inputs file")

    # --- which documents ------------------------------------------------------------

    @staticmethod
    def kind(document: Document) -> FileKind | None:
        from scriptcontract.json_inputs.places import kind_of

        return kind_of(document.path)

    def _dependents(self, path: Path | None) -> list[Document]:
        """The open inputs files of the script `path` is (or whose schema file it is)."""
        from scriptcontract.contract.declared_schema import SCHEMA_SUFFIX
        from scriptcontract.json_inputs.places import script_of

        if path is None:
            return []
        if path.name.endswith(SCHEMA_SUFFIX):
            path = path.with_name(path.name[: -len(SCHEMA_SUFFIX)] + ".py")
        elif path.suffix != ".py":
            return []
        return [
            document
            for document in self.server.documents
            if document.path is not None
            and self.kind(document) is not None
            and script_of(document.path) == path
        ]

    # --- events ---------------------------------------------------------------------

    def document_opened(self, document: Document) -> None:
        self._react(document)

    def document_changed(self, document: Document) -> None:
        self._react(document)

    def document_saved(self, document: Document) -> None:
        self._react(document)

    def document_closed(self, document: Document) -> None:
        from scriptcontract.json_inputs.places import script_of

        self._checks.cancel(document.uri)
        if self.kind(document) is not None and document.path is not None:
            script = script_of(document.path)
            if not self._dependents(script):  # its last open inputs file: texts not kept
                self._schemas.pop(script, None)
        # A closed script or schema file is read from disk again.
        for dependent in self._dependents(document.path):
            self.schedule(dependent)

    def file_changed(self, uri: str) -> None:
        for dependent in self._dependents(path_of(uri)):
            self.schedule(dependent)

    def file_deleted(self, uri: str) -> None:
        self.file_changed(uri)

    def settings_changed(self) -> None:
        for document in self.server.documents:
            if self.kind(document) is not None:
                self.schedule(document)

    def shutdown(self) -> None:
        self._checks.cancel_all()

    def _react(self, document: Document) -> None:
        if self.kind(document) is not None:
            self.schedule(document)
        dependents = self._dependents(document.path)
        if dependents:
            # The script (or its schema file) being typed: worked out again once typing
            # pauses, as the script's own lint is.
            pause = self.server.configuration.for_document(document).client.lint.debounce_ms
            for dependent in dependents:
                self.schedule(dependent, pause / 1000)

    # --- checking -------------------------------------------------------------------

    def schedule(self, document: Document, pause_s: float = 0.0) -> None:
        self._checks.schedule(document.uri, self._check(document.uri, pause_s))

    async def settled(self, uri: str) -> None:
        """Returns once the check of `uri` scheduled so far is delivered (for a pull)."""
        await self._checks.settled(uri)

    async def _check(self, uri: str, pause_s: float = 0.0) -> None:
        await self.server.configuration.ready.wait()
        if pause_s:
            await asyncio.sleep(pause_s)
        document = self.server.documents.get(uri)
        kind = self.kind(document) if document is not None else None
        if document is None or kind is None or document.path is None:
            return
        version, text = document.version, document.text
        from scriptcontract.json_inputs.places import script_of

        script = script_of(document.path)
        schema = await self.schema_async(script)
        if schema is None:
            self._no_script(document, kind, script)
            return

        from scriptcontract.lsp.input_keys import OUTLINE, read_outline

        # The outline a hover or completion of the same text reads too: read once.
        outline = await document.derived_off_loop(OUTLINE, read_outline)
        if outline is None:
            return  # a newer edit has scheduled its own check

        def work() -> list[types.Diagnostic]:
            from scriptcontract.json_inputs.problems import file_problems

            return [
                self._diagnostic(document, problem)
                for problem in file_problems(kind, outline, schema)
            ]

        diagnostics = await asyncio.get_running_loop().run_in_executor(None, work)
        current = self.server.documents.get(uri)
        if current is None or (current.version, current.text) != (version, text):
            return  # a newer edit has scheduled its own check
        self.server.diagnostics.set(INPUTS_SOURCE, uri, diagnostics, version)

    def _no_script(self, document: Document, kind: FileKind, script: Path) -> None:
        """An inputs file no script reads (its script renamed, deleted, not written yet):
        said at its start, else its keys were checked against nothing without a word. (A
        cases file says it when its cases are run.)"""
        if kind != "sidecar" or os.path.lexists(script):  # unreadable: the log says why
            self.server.diagnostics.clear(INPUTS_SOURCE, document.uri)
            return
        note = types.Diagnostic(
            range=self.range(document, 0, 0),
            message=f"no script {script.name} beside this file: nothing reads it "
            "(a script's inputs file is named <script>.inputs.json)",
            severity=types.DiagnosticSeverity.Information,
            code="no-script",
            source=INPUTS_SOURCE,
        )
        self.server.diagnostics.set(INPUTS_SOURCE, document.uri, [note], document.version)

    def _diagnostic(self, document: Document, problem: LocatedProblem) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.range(document, problem.start, problem.end),
            message=problem.message,
            severity=_SEVERITY[problem.severity],
            code=problem.code,
            source=INPUTS_SOURCE,
        )

    def range(self, document: Document, start: int, end: int) -> types.Range:
        """Offsets of the document's text as a range in the client's encoding."""
        encoding = self.server.caps.position_encoding
        lines = document.lines
        return types.Range(
            start=position(lines, *document.position_at(start), encoding),
            end=position(lines, *document.position_at(end), encoding),
        )

    # --- the schema of a script -------------------------------------------------------

    def _texts(self, script: Path) -> _Texts | None:
        from scriptcontract.check.sources import MAX_SCRIPT_BYTES
        from scriptcontract.project_files import ProjectFileError, decode_text, read_named_file
        from scriptcontract.schema_files import MAX_SCHEMA_BYTES, read_beside, schema_path

        def text_of(path: Path, limit: int, *, beside: bool = False) -> str | None:
            for document in self.server.documents:
                if document.path == path:
                    return document.text
            try:
                raw = read_beside(path, limit) if beside else read_named_file(path, max_bytes=limit)
                return decode_text(raw, path)
            except ProjectFileError as exc:
                if not exc.missing:
                    logger.info("Cannot read %s: %s", path, exc)
                return None

        source = text_of(script, MAX_SCRIPT_BYTES)
        if source is None:
            return None
        return _Texts(source, text_of(schema_path(script), MAX_SCHEMA_BYTES, beside=True))

    def script_document(self, script: Path) -> Document | None:
        return next((d for d in self.server.documents if d.path == script), None)

    def source_of(self, schema: ScriptSchema) -> str:
        """The script's text `schema` was worked out from."""
        kept = self._schemas.get(schema.script)
        return kept[0].source if kept is not None else ""

    async def schema_of(self, script: Path) -> ScriptSchema | None:
        """The schema the inputs of `script` are held to, for an answer now (hover,
        completion): while a newer text of the script is being worked out off the loop (each
        edit schedules it), the last one; the first time, worked out off the loop too (a
        script of megabytes takes seconds, which held every other request)."""
        texts = self._texts(script)
        if texts is None:
            return None
        known = self._known(script, texts) or self._schemas.get(script, (None, None))[1]
        return known or await self.schema_async(script)

    async def schema_async(self, script: Path) -> ScriptSchema | None:
        """`schema_of`, worked out off the event loop."""
        texts = self._texts(script)
        if texts is None:
            return None
        known = self._known(script, texts)
        if known is not None:
            return known
        kept = self._schemas.get(script)
        found = await asyncio.get_running_loop().run_in_executor(None, _schema, script, texts, kept)
        return self._keep(script, texts, found)

    def _known(self, script: Path, texts: _Texts) -> ScriptSchema | None:
        kept = self._schemas.get(script)
        return kept[1] if kept is not None and kept[0] == texts else None

    def _keep(self, script: Path, texts: _Texts, found: ScriptSchema) -> ScriptSchema:
        self._schemas[script] = (texts, found)
        return found


def _schema(script: Path, texts: _Texts, kept: tuple[_Texts, ScriptSchema] | None) -> ScriptSchema:
    from scriptcontract.json_inputs.script_schema import parsed, script_schema_of

    tree = parsed(texts.source)  # once: the schema is worked out from this tree
    if tree is None and kept is not None and kept[0].schema_text == texts.schema_text:
        return kept[1]  # half typed: the last schema that parsed stays
    return script_schema_of(script, tree, texts.source, texts.schema_text)
