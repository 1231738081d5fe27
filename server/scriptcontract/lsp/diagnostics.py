"""Diagnostics per (source, uri), and the one function that delivers them: push or pull.

Lint and run results are stored apart, so neither overwrites the other; a delivery sends
the union for one document. Clients that pull get a new result id only when the union
changed (an equal pull answers "unchanged"), and a refresh request when it changed without
an edit of theirs. Clients that do not pull get `publishDiagnostics` with the version the
diagnostics were computed for.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.convert import (
    CASES_SOURCE,
    EXPLORE_SOURCE,
    INPUTS_SOURCE,
    LINT_SOURCE,
    RUN_SOURCE,
)

if TYPE_CHECKING:
    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)

SOURCES = (LINT_SOURCE, RUN_SOURCE, CASES_SOURCE, INPUTS_SOURCE, EXPLORE_SOURCE)


@dataclass(frozen=True)
class Stored:
    diagnostics: list[types.Diagnostic]
    version: int | None


class DiagnosticsStore:
    def __init__(self, server: ScriptContractServer) -> None:
        self.server = server
        self._entries: dict[tuple[str, str], Stored] = {}
        self._result_ids: dict[str, str] = {}
        self._delivered: dict[str, list[types.Diagnostic]] = {}
        self._published_versions: dict[str, int | None] = {}
        self._prefix = secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._refresh_pending = False

    # --- what is stored ----------------------------------------------------------

    def set(
        self,
        source: str,
        uri: str,
        diagnostics: list[types.Diagnostic],
        version: int | None,
        *,
        deliver: bool = True,
    ) -> None:
        self._entries[(source, uri)] = Stored(list(diagnostics), version)
        if deliver:
            self.deliver(uri)

    def get(self, source: str, uri: str) -> Stored | None:
        return self._entries.get((source, uri))

    def clear(self, source: str, uri: str, *, deliver: bool = True) -> None:
        if self._entries.pop((source, uri), None) is not None and deliver:
            self.deliver(uri)

    def forget(self, uri: str, *, refresh: bool = False) -> None:
        """Drop every source of `uri` (closed, or deleted with `refresh`) and tell the client."""
        removed = [self._entries.pop((source, uri), None) for source in SOURCES]
        had = any(entry is not None for entry in removed) or bool(self._delivered.get(uri))
        if self.server.caps.pull_diagnostics:
            if refresh and had:
                self._request_refresh()
        elif self._delivered.get(uri):
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
        self._result_ids.pop(uri, None)
        self._delivered.pop(uri, None)
        self._published_versions.pop(uri, None)

    def uris(self, source: str) -> list[str]:
        return [uri for (entry_source, uri) in self._entries if entry_source == source]

    def union(self, uri: str) -> list[types.Diagnostic]:
        out: list[types.Diagnostic] = []
        for source in SOURCES:
            entry = self._entries.get((source, uri))
            if entry is not None:
                out.extend(entry.diagnostics)
        return out

    def _version(self, uri: str) -> int | None:
        """The newest version any stored source was computed for."""
        versions = [
            entry.version
            for source in SOURCES
            if (entry := self._entries.get((source, uri))) is not None and entry.version is not None
        ]
        if versions:
            return max(versions)
        document = self.server.documents.get(uri)
        return document.version if document is not None else None

    # --- delivery ------------------------------------------------------------------

    def deliver(self, uri: str) -> None:
        """Send `uri`'s diagnostics the way this client takes them."""
        current = self.union(uri)
        changed = self._delivered.get(uri) != current
        if changed:
            self._delivered[uri] = current
            self._result_ids[uri] = f"{self._prefix}-{next(self._counter)}"
        if self.server.caps.pull_diagnostics:
            if changed:
                self._request_refresh()
            return
        version = self._version(uri)
        # Equal diagnostics for a newer version are published too: the client learns which
        # version they describe.
        if not changed and self._published_versions.get(uri) == version:
            return
        self._published_versions[uri] = version
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=current, version=version)
        )

    def report(
        self, uri: str, previous_result_id: str | None
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        """The answer to a pull for `uri`, as of what is stored now."""
        current = self.union(uri)
        if self._delivered.get(uri) != current or uri not in self._result_ids:
            self._delivered[uri] = current
            self._result_ids[uri] = f"{self._prefix}-{next(self._counter)}"
        result_id = self._result_ids[uri]
        if previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=current, result_id=result_id)

    def _request_refresh(self) -> None:
        """One `workspace/diagnostic/refresh` for all changes of this loop iteration."""
        if self._refresh_pending:
            return
        self._refresh_pending = True
        asyncio.get_running_loop().call_soon(self._send_refresh)

    def _send_refresh(self) -> None:
        self._refresh_pending = False
        future = self.server.protocol.send_request(types.WORKSPACE_DIAGNOSTIC_REFRESH, None)
        future.add_done_callback(_log_failure)


def _log_failure(future: object) -> None:
    exception = getattr(future, "exception", lambda: None)()
    if exception is not None:
        logger.info("The client refused workspace/diagnostic/refresh: %s", exception)
