"""The client's capabilities, read once at `initialize` and flattened into plain booleans.

Handlers ask "does the client pull diagnostics?", never dig in the capability tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from scriptcontract.lsp.position_encoding import Encoding, negotiate


def _get(root: Any, path: str, default: Any = None) -> Any:
    node = root
    for name in path.split("."):
        node = getattr(node, name, None)
        if node is None:
            return default
    return node


def _experimental(caps: types.ClientCapabilities, name: str) -> bool:
    """`experimental.scriptcontract.<name>`: what our own editor clients declare."""
    experimental = caps.experimental
    if not isinstance(experimental, dict):
        return False
    ours = experimental.get("scriptcontract")
    return isinstance(ours, dict) and ours.get(name) is True


@dataclass(frozen=True)
class ResolvedClientCapabilities:
    position_encoding: Encoding = "utf-16"
    # Pull only when the client can also be told to pull again: diagnostics also change
    # without an edit (a save in "onSave" mode, a configuration change, a run).
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    diagnostic_data: bool = False
    related_information: bool = False
    code_description: bool = False
    work_done_progress: bool = False
    workspace_configuration: bool = False
    configuration_registration: bool = False
    watched_files_registration: bool = False
    watched_files_relative_patterns: bool = False
    apply_edit: bool = False
    document_changes: bool = False
    create_files: bool = False
    code_lens_refresh: bool = False
    hover_markdown: bool = False
    code_action_literals: bool = False
    show_document: bool = False
    show_message_request: bool = False
    inlay_hints: bool = False
    inlay_hint_refresh: bool = False
    # The client shows a run's outcome itself (our VS Code extension and Neovim plugin
    # declare `experimental.scriptcontract.runOutcomes`): a refused run needs no message.
    shows_run_outcomes: bool = False
    completion_snippets: bool = False

    @classmethod
    def resolve(cls, caps: types.ClientCapabilities) -> ResolvedClientCapabilities:
        declares_pull = _get(caps, "text_document.diagnostic") is not None
        refresh = bool(_get(caps, "workspace.diagnostics.refresh_support", False))
        resource_operations = _get(caps, "workspace.workspace_edit.resource_operations", []) or []
        document_changes = bool(_get(caps, "workspace.workspace_edit.document_changes", False))
        hover_formats = _get(caps, "text_document.hover.content_format", []) or []
        return cls(
            position_encoding=negotiate(
                [str(getattr(e, "value", e)) for e in _get(caps, "general.position_encodings", [])]
            ),
            pull_diagnostics=declares_pull and refresh,
            diagnostic_refresh=refresh,
            diagnostic_data=bool(
                _get(caps, "text_document.publish_diagnostics.data_support", False)
            )
            or declares_pull,
            related_information=bool(
                _get(caps, "text_document.publish_diagnostics.related_information", False)
            ),
            code_description=bool(
                _get(caps, "text_document.publish_diagnostics.code_description_support", False)
            ),
            work_done_progress=bool(_get(caps, "window.work_done_progress", False)),
            workspace_configuration=bool(_get(caps, "workspace.configuration", False)),
            configuration_registration=bool(
                _get(caps, "workspace.did_change_configuration.dynamic_registration", False)
            ),
            watched_files_registration=bool(
                _get(caps, "workspace.did_change_watched_files.dynamic_registration", False)
            ),
            watched_files_relative_patterns=bool(
                _get(caps, "workspace.did_change_watched_files.relative_pattern_support", False)
            ),
            apply_edit=bool(_get(caps, "workspace.apply_edit", False)),
            document_changes=document_changes,
            create_files=document_changes
            and "create" in [str(getattr(kind, "value", kind)) for kind in resource_operations],
            code_lens_refresh=bool(_get(caps, "workspace.code_lens.refresh_support", False)),
            hover_markdown=types.MarkupKind.Markdown in hover_formats,
            code_action_literals=_get(caps, "text_document.code_action.code_action_literal_support")
            is not None,
            show_document=bool(_get(caps, "window.show_document.support", False)),
            show_message_request=_get(caps, "window.show_message") is not None,
            inlay_hints=_get(caps, "text_document.inlay_hint") is not None,
            inlay_hint_refresh=bool(_get(caps, "workspace.inlay_hint.refresh_support", False)),
            shows_run_outcomes=_experimental(caps, "runOutcomes"),
            completion_snippets=bool(
                _get(caps, "text_document.completion.completion_item.snippet_support", False)
            ),
        )
