"""textDocument/definition: from a key of an inputs file to the line of the script that
reads it."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.input_keys import key_definition
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(
        ls: ScriptContractServer, params: types.DefinitionParams
    ) -> list[types.Location] | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        return await key_definition(ls, document, params.position)
