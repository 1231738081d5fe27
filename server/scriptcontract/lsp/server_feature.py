"""The hooks a feature of the server may override; the server core calls them in turn.

Adding a feature means adding a module with a `Feature`, not editing a switch: the core
dispatches every document and settings event to every feature, and one feature's failure
is logged without stopping the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptcontract.lsp.documents import Document
    from scriptcontract.lsp.server import ScriptContractServer


class Feature:
    def __init__(self, server: ScriptContractServer) -> None:
        self.server = server

    def document_opened(self, document: Document) -> None:
        """After `didOpen` stored the document."""

    def document_changed(self, document: Document) -> None:
        """After `didChange` applied the edits."""

    def document_saved(self, document: Document) -> None:
        """After `didSave`."""

    def document_closed(self, document: Document) -> None:
        """After `didClose` removed the document."""

    def file_deleted(self, uri: str) -> None:
        """A watched file was deleted on disk."""

    def file_changed(self, uri: str) -> None:
        """A watched file was created or changed on disk (a script or module, a declared
        schema `<name>.schema.json`)."""

    def settings_changed(self) -> None:
        """Editor settings or a project's configuration changed."""

    def shutdown(self) -> None:
        """The client asked the server to shut down (or went away)."""
