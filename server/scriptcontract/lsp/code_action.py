"""textDocument/codeAction: quick fixes, "ignore on this line", fix all, run, create inputs;
those of recorded cases (`case_actions.py`) and "Use .venv/bin/python for runs" on a run
that missed a module (`use_python.py`).

Quick fixes come from the diagnostic's `data` (no second analysis); for a client that
does not keep `data`, from the stored findings of the last analysis. "Run with inputs" and
"Create inputs file" carry commands and are offered when the user asks for actions, not
on every cursor move.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.convert import (
    LINT_SOURCE,
    edits_from_data,
    lsp_range,
    position,
    workspace_edit,
)
from scriptcontract.lsp.documents import Document, split_lines
from scriptcontract.lsp.linting import LintResult
from scriptcontract.lsp.names import CREATE_INPUTS, DEBUG, FIX_ALL, RUN
from scriptcontract.lsp.script_template import template_action
from scriptcontract.lsp.server import ScriptContractServer
from scriptcontract.lsp.suppression import add_ignore
from scriptcontract.lsp.use_python import use_python_actions

if TYPE_CHECKING:
    from scriptcontract.contract.finding import Finding


Action = types.CodeAction | types.Command


def _allows(only: list[str] | None, kind: str) -> bool:
    if only is None:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def register(server: ScriptContractServer) -> None:
    options = types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False
    )

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, options)
    async def code_action(
        ls: ScriptContractServer, params: types.CodeActionParams
    ) -> list[Action] | None:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            return None
        only = [str(kind) for kind in params.context.only] if params.context.only else None
        actions: list[Action] = []
        if _allows(only, types.CodeActionKind.QuickFix) and ls.caps.code_action_literals:
            last = ls.linter.last(uri)
            for diagnostic in params.context.diagnostics:
                if diagnostic.source == LINT_SOURCE:
                    actions += _quick_fixes(ls, document, diagnostic, last)
        if _allows(only, types.CodeActionKind.QuickFix) and ls.caps.code_action_literals:
            template = template_action(ls, document, _ours(params.context.diagnostics))
            if template is not None:
                actions.append(template)
        if _allows(only, types.CodeActionKind.QuickFix):
            from scriptcontract.lsp.case_actions import accept_actions

            actions += await accept_actions(ls, document, params)
            from scriptcontract.lsp.explore_actions import save_actions

            actions += save_actions(ls, document, params)
            actions += use_python_actions(ls, document, params)
        if _allows(only, FIX_ALL) and ls.caps.code_action_literals:
            fix_all = await _fix_all(ls, document)
            if fix_all is not None:
                actions.append(fix_all)
        automatic = params.context.trigger_kind == types.CodeActionTriggerKind.Automatic
        if only is None and not automatic:
            actions += await _commands(ls, document)
        return actions or None


def _ours(diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.source == LINT_SOURCE]


def _quick_fixes(
    ls: ScriptContractServer,
    document: Document,
    diagnostic: types.Diagnostic,
    last: LintResult | None,
) -> list[Action]:
    caps = ls.caps
    version = last.version if last is not None else document.version
    fixes = edits_from_data(diagnostic.data)
    if fixes is None and last is not None:
        fixes = _stored_fixes(ls, diagnostic, last)
    actions: list[Action] = []
    for title, edits, safe in fixes or []:
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=workspace_edit(document.uri, version, edits, caps),
                is_preferred=safe,
            )
        )
    code = str(diagnostic.code) if diagnostic.code is not None else ""
    line = diagnostic.range.start.line
    edit = add_ignore(document.line(line), code) if code else None
    if edit is not None:
        lines = document.lines
        text_edit = types.TextEdit(
            range=types.Range(
                start=position(lines, line, edit.start, caps.position_encoding),
                end=position(lines, line, edit.end, caps.position_encoding),
            ),
            new_text=edit.new_text,
        )
        actions.append(
            types.CodeAction(
                title=f"Ignore {code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=workspace_edit(document.uri, document.version, [text_edit], caps),
            )
        )
    return actions


def _stored_fixes(
    ls: ScriptContractServer, diagnostic: types.Diagnostic, last: LintResult
) -> list[tuple[str, list[types.TextEdit], bool]]:
    """The fixes of the stored finding this diagnostic was made from."""
    lines = split_lines(last.text)
    encoding = ls.caps.position_encoding
    for finding in last.findings:
        if (
            finding.code == diagnostic.code
            and lsp_range(finding.range, lines, encoding) == diagnostic.range
        ):
            return [
                (fix.title, _edits(finding, index, lines, ls), fix.safe)
                for index, fix in enumerate(finding.fixes)
            ]
    return []


def _edits(
    finding: Finding, index: int, lines: list[str], ls: ScriptContractServer
) -> list[types.TextEdit]:
    encoding = ls.caps.position_encoding
    return [
        types.TextEdit(range=lsp_range(edit.range, lines, encoding), new_text=edit.new_text)
        for edit in finding.fixes[index].edits
    ]


async def _fix_all(ls: ScriptContractServer, document: Document) -> types.CodeAction | None:
    result = await ls.linter.lint_current(document)
    if result is None or not result.findings:
        return None
    lines = split_lines(result.text)
    chosen: list[types.TextEdit] = []
    last_end: tuple[int, int] = (-1, -1)
    candidates = [
        edit
        for finding in result.findings
        for fix in finding.fixes[:1]
        if fix.safe
        for edit in fix.edits
    ]
    for edit in sorted(candidates, key=lambda e: (e.range.start.line, e.range.start.character)):
        start = (edit.range.start.line, edit.range.start.character)
        if start < last_end:
            continue  # overlaps an edit already chosen: the next fix-all pass gets it
        chosen.append(
            types.TextEdit(
                range=lsp_range(edit.range, lines, ls.caps.position_encoding),
                new_text=edit.new_text,
            )
        )
        last_end = (edit.range.end.line, edit.range.end.character)
    if not chosen:
        return None
    return types.CodeAction(
        title="Fix all scriptcontract problems",
        kind=FIX_ALL,
        edit=workspace_edit(document.uri, result.version, chosen, ls.caps),
    )


async def _commands(ls: ScriptContractServer, document: Document) -> list[Action]:
    from scriptcontract.lsp.case_actions import script_commands
    from scriptcontract.lsp.code_lens import is_runnable
    from scriptcontract.lsp.run_inputs import sidecar_path

    if not is_runnable(ls, document):
        return []
    argument = {"uri": document.uri}
    commands = [
        types.Command(title="Run with inputs", command=RUN, arguments=[argument]),
        types.Command(title="Debug with inputs", command=DEBUG, arguments=[argument]),
    ]
    if document.path is not None and not sidecar_path(document.path).exists():
        commands.append(
            types.Command(title="Create inputs file", command=CREATE_INPUTS, arguments=[argument])
        )
    commands += await script_commands(ls, document)
    if not ls.caps.code_action_literals:
        return list(commands)
    return [types.CodeAction(title=command.title, command=command) for command in commands]
