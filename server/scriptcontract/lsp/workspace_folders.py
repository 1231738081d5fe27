"""workspace/didChangeWorkspaceFolders: each folder has its own root and settings."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_workspace_folders(
        ls: ScriptContractServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        for folder in params.event.removed:
            ls.configuration.remove_folder(folder.uri)
        for folder in params.event.added:
            ls.configuration.add_folder(folder.uri)
        await ls.configuration.pull()
        ls.dispatch("settings_changed")
