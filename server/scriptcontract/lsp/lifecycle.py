"""initialize, initialized and shutdown: capabilities, folders, settings, registrations."""

from __future__ import annotations

import asyncio
import logging
import uuid

from lsprotocol import types

from scriptcontract.lsp.capabilities import ResolvedClientCapabilities
from scriptcontract.lsp.configuration import SECTION
from scriptcontract.lsp.log import attach_client, set_client_level
from scriptcontract.lsp.server import ScriptContractServer
from scriptcontract.lsp.watched_files import watchers

logger = logging.getLogger(__name__)


def register(server: ScriptContractServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: ScriptContractServer, params: types.InitializeParams) -> None:
        ls.caps = ResolvedClientCapabilities.resolve(params.capabilities)
        folders = list(params.workspace_folders or [])
        if not folders and (params.root_uri or params.root_path):
            from pygls.uris import from_fs_path

            root_uri = params.root_uri or from_fs_path(params.root_path or "") or ""
            folders = [types.WorkspaceFolder(uri=root_uri, name="root")]
        ls.configuration.set_folders(folders)
        ls.initialization_options = params.initialization_options
        attach_client(ls, asyncio.get_running_loop())
        logger.info(
            "Client %s: %s",
            params.client_info.name if params.client_info else "unknown",
            ls.caps,
        )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: ScriptContractServer, params: types.InitializedParams) -> None:
        # Read only now, after `initialize` was answered: see `configuration.py`.
        ls.configuration.set_initialization_options(ls.initialization_options)
        set_client_level(ls.configuration.global_settings().log_level)
        client_watches = await _register_capabilities(ls)
        ls.disk_watch.start(client_watches)
        if ls.caps.workspace_configuration:
            await ls.configuration.pull()
            set_client_level(ls.configuration.global_settings().log_level)
            ls.dispatch("settings_changed")
        ls.configuration.ready.set()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ScriptContractServer, params: None) -> None:
        ls.dispatch("shutdown")

    @server.feature(types.EXIT)
    def exit_(ls: ScriptContractServer, params: None) -> None:
        ls.dispatch("shutdown")


async def _register_capabilities(ls: ScriptContractServer) -> bool:
    """Register what the client registers dynamically; whether it now watches files."""
    registrations = []
    if ls.caps.watched_files_registration:
        registrations.append(
            types.Registration(
                id=f"scriptcontract-watch-{uuid.uuid4()}",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=watchers()
                ),
            )
        )
    if ls.caps.configuration_registration:
        registrations.append(
            types.Registration(
                id=f"scriptcontract-configuration-{uuid.uuid4()}",
                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                register_options=types.DidChangeConfigurationRegistrationOptions(section=SECTION),
            )
        )
    if not registrations:
        return False
    try:
        await asyncio.wait_for(
            ls.client_register_capability_async(
                types.RegistrationParams(registrations=registrations)
            ),
            timeout=10,
        )
    except Exception as exc:  # the client's refusal: the server watches files itself
        logger.info("The client did not accept our registrations: %s", exc)
        return False
    return ls.caps.watched_files_registration
