"""textDocument/completion: the `workflow-script` item, the template, in a blank script; the
keys a script reads and the values its schema knows, in its inputs files (typed in quotes:
`"` asks for them)."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.input_keys import inputs_completion, is_inputs_file
from scriptcontract.lsp.script_template import template_completion
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"'])
    )
    async def completion(
        ls: ScriptContractServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        if is_inputs_file(ls, document):
            return await inputs_completion(ls, document, params.position)
        item = template_completion(ls, document, params.position)
        if item is None:
            return None
        return types.CompletionList(is_incomplete=False, items=[item])
