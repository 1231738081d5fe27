"""workspace/didChangeConfiguration: read the settings again and re-lint open documents."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.log import set_client_level
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: ScriptContractServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if ls.caps.workspace_configuration:
            await ls.configuration.pull()
        else:
            ls.configuration.set_pushed(params.settings)
        set_client_level(ls.configuration.global_settings().log_level)
        ls.dispatch("settings_changed")
