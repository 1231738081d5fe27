"""textDocument/didChange: apply the edits in the client's encoding, then react (debounced)."""

from __future__ import annotations

import logging

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ScriptContractServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            # VS Code's client sends the last change of an untitled file after its close.
            if ls.documents.was_closed(uri):
                logger.debug("didChange for %s after its didClose: ignored", uri)
            else:
                logger.warning("didChange for %s, which is not open: ignored", uri)
            return
        encoding = ls.caps.position_encoding
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                document.apply_edit(
                    (start.line, start.character), (end.line, end.character), change.text, encoding
                )
            else:
                document.set_text(change.text)
        document.version = params.text_document.version
        ls.dispatch("document_changed", document)
