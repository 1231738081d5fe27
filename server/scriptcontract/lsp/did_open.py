"""textDocument/didOpen: keep the document, then let the features react (lint at once)."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ScriptContractServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        document = ls.documents.open(item.uri, item.text, item.version, item.language_id)
        ls.dispatch("document_opened", document)
