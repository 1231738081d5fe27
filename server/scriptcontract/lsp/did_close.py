"""textDocument/didClose: forget the document and clear its diagnostics."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ScriptContractServer, params: types.DidCloseTextDocumentParams) -> None:
        document = ls.documents.close(params.text_document.uri)
        ls.diagnostics.forget(params.text_document.uri)
        if document is not None:
            ls.dispatch("document_closed", document)
