"""The server core: state, the features, and the dispatch of events to them.

Each LSP method lives in its own module (`did_open.py`, `code_action.py`, ...) that unpacks
the message, calls into the state held here, and packs the answer; `create_server()`
registers them all. Nothing here knows a rule or how a script runs.
"""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcRequestCancelled,
)
from pygls.lsp.server import LanguageServer

from scriptcontract import __version__
from scriptcontract.lsp.capabilities import ResolvedClientCapabilities
from scriptcontract.lsp.case_runs import CaseRuns
from scriptcontract.lsp.configuration import Configuration
from scriptcontract.lsp.diagnostics import DiagnosticsStore
from scriptcontract.lsp.disk_watch import DiskWatch
from scriptcontract.lsp.documents import DocumentStore
from scriptcontract.lsp.explorations import Explorations
from scriptcontract.lsp.input_files import InputFiles
from scriptcontract.lsp.linting import Linter
from scriptcontract.lsp.log import refusal
from scriptcontract.lsp.protocol import ScriptContractProtocol
from scriptcontract.lsp.runs import RunManager
from scriptcontract.lsp.server_feature import Feature

logger = logging.getLogger(__name__)

NAME = "scriptcontract"


class ScriptContractServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            NAME,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=ScriptContractProtocol,
            max_workers=4,
        )
        self.caps = ResolvedClientCapabilities()
        self.initialization_options: Any = None
        self.documents = DocumentStore()
        self.configuration = Configuration(self)
        self.diagnostics = DiagnosticsStore(self)
        self.linter = Linter(self)
        self.runs = RunManager(self)
        self.case_runs = CaseRuns(self)
        self.input_files = InputFiles(self)
        self.explorations = Explorations(self)
        self.disk_watch = DiskWatch(self)
        self.features: list[Feature] = [
            self.linter,
            self.runs,
            self.case_runs,
            self.input_files,
            self.explorations,
            self.disk_watch,
        ]

    def dispatch(self, event: str, *args: Any) -> None:
        """Call hook `event` of every feature; one feature's failure does not stop the rest."""
        for feature in self.features:
            try:
                getattr(feature, event)(*args)
            except Exception:
                logger.exception("%s.%s failed", type(feature).__name__, event)

    def finish_capabilities(self, capabilities: types.ServerCapabilities) -> None:
        """Adjust what pygls derived from the registered features to this client."""
        capabilities.position_encoding = self.caps.position_encoding
        if not self.caps.pull_diagnostics:
            capabilities.diagnostic_provider = None

    def report_server_error(self, error: Exception, source: Any) -> None:
        # Logged, never shown in a pop-up: a request already got its error answer, and a
        # client that sends garbage should not drown the user in messages.
        where = getattr(source, "__name__", source)
        if isinstance(error, JsonRpcRequestCancelled):
            logger.debug("Answered a cancelled request (%s): %s", where, error)
        elif refusal(error):
            logger.info("Refused a request (%s): %s", where, error)
        else:
            logger.error("Error in a handler (%s): %s", where, error, exc_info=error)


def create_server() -> ScriptContractServer:
    from scriptcontract.lsp import (
        case_commands,
        code_action,
        code_lens,
        commands,
        completion,
        debug_commands,
        definition,
        did_change,
        did_change_configuration,
        did_close,
        did_open,
        did_save,
        explore_commands,
        hover,
        inlay_hint,
        lifecycle,
        pull_diagnostics,
        use_python,
        watched_files,
        workspace_folders,
    )

    server = ScriptContractServer()
    for module in (
        lifecycle,
        did_open,
        did_change,
        did_save,
        did_close,
        pull_diagnostics,
        did_change_configuration,
        workspace_folders,
        watched_files,
        code_action,
        code_lens,
        hover,
        inlay_hint,
        commands,
        case_commands,
        debug_commands,
        explore_commands,
        use_python,
        completion,
        definition,
    ):
        module.register(server)
    return server
