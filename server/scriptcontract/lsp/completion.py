"""textDocument/completion: the `workflow-script` item, the template, in a blank script."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.script_template import template_completion
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())
    def completion(
        ls: ScriptContractServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        item = template_completion(ls, document, params.position)
        if item is None:
            return None
        return types.CompletionList(is_incomplete=False, items=[item])
