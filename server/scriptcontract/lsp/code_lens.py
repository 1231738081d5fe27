"""textDocument/codeLens: "▶ Run with inputs" above the entry point, with the last outcome
("▶ Run with inputs · ✓ 35 ms"); "Debug with inputs" and the lenses of recorded cases
(`case_lens.py`) on the first line (and on a cases file)."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.entry_point import entry_line
from scriptcontract.lsp.names import DEBUG, RUN
from scriptcontract.lsp.server import ScriptContractServer

RUN_TITLE = "▶ Run with inputs"
DEBUG_TITLE = "Debug with inputs"


def is_runnable(ls: ScriptContractServer, document: Document) -> bool:
    """A workflow script that exists on disk (untitled buffers are linted, not run)."""
    if document.path is None:
        return False
    last = ls.linter.last(document.uri)
    if last is not None and last.text == document.text:
        return last.is_script
    from scriptcontract.lsp.lint import is_script

    settings = ls.configuration.for_document(document)
    return is_script(document.text, document.path, settings.root, settings.lint)


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    async def code_lens(
        ls: ScriptContractServer, params: types.CodeLensParams
    ) -> list[types.CodeLens] | None:
        from scriptcontract.lsp.case_lens import (
            cases_file_lenses,
            is_cases_document,
            script_lenses,
        )

        document = ls.documents.get(params.text_document.uri)
        if document is not None and is_cases_document(document):
            return await cases_file_lenses(ls, document) or None
        if document is None or not is_runnable(ls, document):
            return None
        # A parse (seconds on 20,000 lines), once per text and shared with the inlay hint.
        line = await document.derived_off_loop("entry line", entry_line)
        if line is None:
            return None  # the script changed meanwhile: the client asks again
        outcome = ls.runs.outcome(document.uri)
        title = f"{RUN_TITLE} · {outcome}" if outcome else RUN_TITLE
        where = types.Range(
            start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
        )
        command = types.Command(title=title, command=RUN, arguments=[{"uri": document.uri}])
        # "Debug with inputs" and the cases' lenses go on the first line: a client such as
        # Neovim asks which lens to run when a line has several, and "Run with inputs" stays
        # one click there.
        debug = types.Command(title=DEBUG_TITLE, command=DEBUG, arguments=[{"uri": document.uri}])
        first = types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        )
        return [
            types.CodeLens(range=where, command=command),
            types.CodeLens(range=first, command=debug),
            *await script_lenses(ls, document, 0),
        ]
