"""textDocument/didSave: lint at once, in both `lint.run` modes."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: ScriptContractServer, params: types.DidSaveTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is not None:
            ls.dispatch("document_saved", document)
