"""Code actions: quick fixes from the diagnostic's data, ignore-on-this-line, fix all, run."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.conftest import BROKEN, Session, structure_code_actions

STRAY_PRINT = """
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
print("debugging the inputs")
try:
    print(json.dumps({"success": True, "n": len(inputs)}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
"""


async def actions(
    lsp: Session,
    uri: str,
    diagnostics: list[types.Diagnostic],
    *,
    only: list[str] | None = None,
    line: int = 0,
    trigger: types.CodeActionTriggerKind | None = None,
) -> list[types.CodeAction | types.Command]:
    result = await lsp.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=0),
                end=types.Position(line=line, character=0),
            ),
            context=types.CodeActionContext(
                diagnostics=diagnostics, only=only, trigger_kind=trigger
            ),
        )
    )
    return structure_code_actions(result)


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        return [
            edit
            for change in action.edit.document_changes
            if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
            for edit in change.edits
            if isinstance(edit, types.TextEdit)
        ]
    return list((action.edit.changes or {})[uri])


def titled(found: list[types.CodeAction | types.Command], title: str) -> types.CodeAction:
    for action in found:
        if action.title == title:
            assert isinstance(action, types.CodeAction)
            return action
    raise AssertionError(f"no action {title!r} in {[a.title for a in found]}")


async def test_ignore_this_rule_on_this_line(lsp: Session, name: str) -> None:
    uri = lsp.open(name, BROKEN)
    diagnostics = await lsp.diagnostics(uri)
    found = await actions(lsp, uri, diagnostics, line=2)
    action = titled(found, "Ignore SCR001 on this line")
    assert action.kind == types.CodeActionKind.QuickFix
    (edit,) = edits_of(action, uri)
    assert edit.new_text == "  # scriptcontract: ignore[SCR001]"
    assert edit.range.start == types.Position(line=2, character=len("def main(:"))
    assert action.edit is not None
    if lsp.client.capabilities and lsp.profile in ("vscode", "vscode-modern", "emacs"):
        (change,) = action.edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == lsp.versions[uri]


async def test_ignore_adds_to_an_existing_suppression_comment(lsp: Session, name: str) -> None:
    uri = lsp.open(name, "import json\n\ndef main(:  # scriptcontract: ignore[SCR101]\n")
    diagnostics = await lsp.diagnostics(uri)
    (edit,) = edits_of(
        titled(await actions(lsp, uri, diagnostics, line=2), "Ignore SCR001 on this line"), uri
    )
    assert edit.new_text == ", SCR001"
    line = "def main(:  # scriptcontract: ignore[SCR101"
    assert edit.range.start == types.Position(line=2, character=len(line))


async def test_run_and_create_inputs_are_offered_when_asked_for(lsp: Session, name: str) -> None:
    uri = lsp.open(name, "import json, sys\nprint(json.dumps(json.load(sys.stdin)))\n")
    found = await actions(lsp, uri, [], trigger=types.CodeActionTriggerKind.Invoked)
    run = titled(found, "Run with inputs")
    assert run.command is not None and run.command.command == "scriptcontract.run"
    assert list(run.command.arguments or []) == [{"uri": uri}]
    debug = titled(found, "Debug with inputs")
    assert debug.command is not None and debug.command.command == "scriptcontract.debug"
    assert list(debug.command.arguments or []) == [{"uri": uri}]
    create = titled(found, "Create inputs file")
    assert create.command is not None and create.command.command == "scriptcontract.createInputs"
    only_fixes = await actions(lsp, uri, [], only=[types.CodeActionKind.QuickFix])
    assert not [a for a in only_fixes if a.title in ("Run with inputs", "Create inputs file")]
    automatic = await actions(lsp, uri, [], trigger=types.CodeActionTriggerKind.Automatic)
    assert not [a for a in automatic if a.title in ("Run with inputs", "Debug with inputs")]


async def test_files_that_are_not_scripts_get_no_run_action(lsp: Session) -> None:
    uri = lsp.open("lib/not_a_script_actions.py", "x = 1\n")
    assert await actions(lsp, uri, []) == []


async def test_a_quick_fix_comes_from_the_diagnostic_data(lsp: Session, name: str) -> None:
    uri = lsp.open(name, STRAY_PRINT)
    diagnostics = await lsp.diagnostics(
        uri, lambda found: any(d.data or lsp.profile == "emacs" for d in found)
    )
    fixable = [d for d in diagnostics if d.range.start.line == 5]
    assert fixable, [(d.code, d.range.start.line) for d in diagnostics]
    found = await actions(lsp, uri, fixable, line=5, only=[types.CodeActionKind.QuickFix])
    fixes = [
        a for a in found if isinstance(a, types.CodeAction) and not a.title.startswith("Ignore")
    ]
    assert fixes, [a.title for a in found]
    (edit, *_) = edits_of(fixes[0], uri)
    assert "stderr" in edit.new_text


# Three findings with a safe fix (two stray prints, a call without a timeout); ASCII only,
# so the edits' columns are the same in every position encoding.
SAFELY_FIXABLE = STRAY_PRINT.replace(
    'print("debugging the inputs")',
    'print("debugging the inputs")\nsubprocess.run(["ls"], check=True)\nprint("listed")',
).replace("import sys\n", "import subprocess\nimport sys\n")


def applied(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with `edits` applied, as an editor does (ASCII text: columns are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [sum(len(line) for line in lines[:number]) for number in range(len(lines) + 1)]

    def offset(where: types.Position) -> int:
        return starts[min(where.line, len(lines))] + where.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_fix_all_applies_every_safe_fix(lsp: Session, name: str) -> None:
    text = SAFELY_FIXABLE.lstrip("\n")
    uri = lsp.open(name, text)
    fixable = {"SCR105", "SCR401"}
    await lsp.diagnostics(uri, lambda found: len(fixable_in(found, fixable)) == 3)
    found = await actions(lsp, uri, [], only=[types.CodeActionKind.SourceFixAll])
    action = titled(found, "Fix all scriptcontract problems")
    assert action.kind == "source.fixAll.scriptcontract"
    fixed = applied(text, edits_of(action, uri))
    lsp.replace_all(uri, fixed)
    await lsp.diagnostics(uri, lambda found: not fixable_in(found, fixable))
    assert 'print("listed", file=sys.stderr)' in fixed and "timeout=" in fixed


def fixable_in(found: list[types.Diagnostic], fixable: set[str]) -> list[types.Diagnostic]:
    return [d for d in found if str(d.code) in fixable]
