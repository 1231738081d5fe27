"""Code actions on what exploration found: "Save input as case" on each of its diagnostics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.convert import EXPLORE_SOURCE, command_fix
from scriptcontract.lsp.names import SAVE_EXPLORED_CASE

if TYPE_CHECKING:
    from scriptcontract.lsp.documents import Document
    from scriptcontract.lsp.server import ScriptContractServer


def save_actions(
    ls: ScriptContractServer, document: Document, params: types.CodeActionParams
) -> list[types.CodeAction | types.Command]:
    explored = ls.explorations.last(document.uri)
    if explored is None:
        return []
    failures = explored.exploration.failures
    actions: list[types.CodeAction | types.Command] = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != EXPLORE_SOURCE or not isinstance(diagnostic.data, dict):
            continue
        index = diagnostic.data.get("failure")
        if not isinstance(index, int) or not 0 <= index < len(failures):
            continue
        command = types.Command(
            title="Save input as case",
            command=SAVE_EXPLORED_CASE,
            arguments=[{"uri": document.uri, "failure": index}],
        )
        actions.append(command_fix(ls.caps, diagnostic, command))
    return actions
