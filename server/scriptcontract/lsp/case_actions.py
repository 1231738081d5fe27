"""Code actions of recorded cases: "Accept actual output" on a failing case, "Add last run as
case" and "Run N cases" on a script.

"Accept actual output" is the edit `scriptcontract test --update` would make to that case,
sent as a workspace edit of the cases file, so the editor's undo takes it back.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.case_runs import CASE_FAILED, CasesRefused, is_cases_path, span_range
from scriptcontract.lsp.convert import CASES_SOURCE, workspace_edit
from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.names import ADD_CASE, RUN_CASES

if TYPE_CHECKING:
    from scriptcontract.cases.editing import Edit
    from scriptcontract.cases.loading import CasesDocument
    from scriptcontract.lsp.server import ScriptContractServer

Action = types.CodeAction | types.Command
ACCEPT = "Accept actual output"


async def accept_actions(
    ls: ScriptContractServer, document: Document, params: types.CodeActionParams
) -> list[Action]:
    """ "Accept actual output" for each failing case the request's range or diagnostics touch.
    Asked at every move of the cursor in the file: its parse is the shared one, off the loop."""
    from scriptcontract.cases.editing import NotRecorded, update_edits

    if not is_cases_path(document.path) or not ls.caps.code_action_literals:
        return []
    run = ls.case_runs.last_run(document.uri)
    if run is None or run.text != document.text:
        return []
    text = document.text
    cases = await ls.case_runs.parsed(text)
    if cases.model is None or document.text != text:
        return []
    ours = [
        d for d in params.context.diagnostics if d.source == CASES_SOURCE and d.code == CASE_FAILED
    ]
    named = {d.data.get("case") for d in ours if isinstance(d.data, dict)}
    actions: list[Action] = []
    for index, case in enumerate(cases.cases):
        result = run.results.get(case.name)
        if result is None or result.outcome != "failed" or result.actual is None:
            continue
        if case.name not in named and not _touches(cases, document, index, params.range, ls):
            continue
        try:
            edits = update_edits(cases, index, result.actual)
        except NotRecorded:
            continue
        if not edits:
            continue
        text_edits = [_text_edit(cases, document, edit, ls) for edit in edits]
        actions.append(
            types.CodeAction(
                title=f"{ACCEPT} of case {json.dumps(case.name, ensure_ascii=False)}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[
                    d for d in ours if isinstance(d.data, dict) and d.data.get("case") == case.name
                ]
                or None,
                edit=workspace_edit(document.uri, document.version, text_edits, ls.caps),
                is_preferred=True,
            )
        )
    return actions


def _touches(
    cases: CasesDocument,
    document: Document,
    index: int,
    wanted: types.Range,
    ls: ScriptContractServer,
) -> bool:
    node = cases.case_node(index)
    if node is None:
        return False
    span = span_range(cases, document.lines, node.start, node.end, ls.caps.position_encoding)
    before = (wanted.end.line, wanted.end.character) < (span.start.line, span.start.character)
    after = (wanted.start.line, wanted.start.character) > (span.end.line, span.end.character)
    return not (before or after)


def _text_edit(
    cases: CasesDocument, document: Document, edit: Edit, ls: ScriptContractServer
) -> types.TextEdit:
    where = span_range(cases, document.lines, edit.start, edit.end, ls.caps.position_encoding)
    return types.TextEdit(range=where, new_text=edit.new_text)


async def script_commands(ls: ScriptContractServer, document: Document) -> list[types.Command]:
    """On a script: add its last run as a case; run its cases."""
    commands = []
    argument = {"uri": document.uri}
    if ls.runs.last_run(document.uri) is not None:
        commands.append(
            types.Command(title="Add last run as case", command=ADD_CASE, arguments=[argument])
        )
    try:
        cases = await ls.case_runs.load(ls.case_runs.files_of(document.uri))
    except CasesRefused:
        return commands
    count = len(cases.case_names()) if cases is not None else 0
    if count:
        title = f"Run {count} case{'s' if count != 1 else ''}"
        commands.append(types.Command(title=title, command=RUN_CASES, arguments=[argument]))
    return commands
