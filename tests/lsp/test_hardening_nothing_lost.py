"""Nothing lost: the server changes the user's files only through edits the editor applies.

A project with scripts that have fixable findings, a script open with unsaved changes,
CRLF and Latin-1 files, data and configuration. Everything a client can ask of the server
is asked: every code action (quick fixes, ignore, fix all) and every command they carry,
every code lens command, every command the server lists (run, runNow, createInputs,
inputsTemplate) on every document, saves and closes. The fixes' edits are offered, never
written by the server. Afterwards the disk is compared with a snapshot taken before (content,
mode, size, times, inode): the only changes allowed are those the client made itself when
the server asked it to (`workspace/applyEdit`, recorded here) and what the run's own script
wrote (`output/result.json`).
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import to_fs_path

from tests.hostile.containment import differences, snapshot
from tests.lsp.conftest import Session, fresh_session, make_project, structure_code_actions

SCRIPTS = {
    "scripts/stray.py": (
        "import json\nimport sys\n\nraw = sys.stdin.read()\nprint('debugging', raw)\n"
        "inputs = json.loads(raw) if raw.strip() else {}\n"
        "print(json.dumps({'success': True, 'name': inputs.get('name', 'x')}))\n"
    ),
    "scripts/calls_out.py": (
        "import json, subprocess, sys\n\nraw = sys.stdin.read()\n"
        "listing = subprocess.run(['true'], capture_output=True)\n"
        "print(json.dumps({'success': True}))  # scriptcontract: ignore[SCR105]\n"
    ),
    "scripts/writer.py": (
        "import json, os, sys\n\ninputs = json.loads(sys.stdin.read() or '{}')\n"
        "os.makedirs('output', exist_ok=True)\n"
        "with open('output/result.json', 'w') as handle:\n"
        "    json.dump({'n': inputs.get('n', 1)}, handle)\n"
        "print(json.dumps({'success': True}))\n"
    ),
    "scripts/broken.py": "import json\n\ndef main(:\n    pass\n",
}
UNSAVED = ("scripts/unsaved.py", "import json\nprint(json.dumps({'on': 'disk'}))\n")
OTHER_FILES = {
    "data/input.json": '{"name": "Ada"}\n',
    "notes.txt": "the user's notes\n",
    "scriptcontract.toml": "ignore = []\n",
}
# What the run's own script writes: the one change a run may make here.
RUN_OUTPUT = {"output", "output/result.json"}


def _lay_out(root: Path) -> None:
    make_project(root)
    # The project's top level keeps its entries during a run: the writer writes in here.
    (root / "output").mkdir()
    for relative, text in {**SCRIPTS, UNSAVED[0]: UNSAVED[1], **OTHER_FILES}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "scripts" / "crlf.py").write_bytes(b"import sys\r\nprint('a')\r\nsys.exit(3)\r\n")
    latin = "# -*- coding: latin-1 -*-\nimport sys\nprint('caf\xe9')\n"
    (root / "scripts" / "latin.py").write_bytes(latin.encode("latin-1"))


def _applied_paths(session: Session) -> set[str]:
    """The project files the client changed when the server asked it to."""
    uris: set[str] = set()
    for params in session.client.applied_edits:
        edit = params.edit
        for change in edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                uris.add(change.text_document.uri)
            elif isinstance(change, (types.CreateFile, types.DeleteFile)):
                uris.add(change.uri)
            elif isinstance(change, types.RenameFile):
                uris.update((change.old_uri, change.new_uri))
        uris.update((edit.changes or {}).keys())
    return {Path(to_fs_path(uri) or "").relative_to(session.root).as_posix() for uri in uris}


async def _everything_on(session: Session, uri: str, commands: list[str]) -> int:
    """Ask for every action, lens and command on one document; how many fix edits were
    offered (and not applied)."""
    client = session.client
    document = types.TextDocumentIdentifier(uri=uri)
    diagnostics = [d for d in await _lint_of(session, uri) if d.source == "scriptcontract"]
    whole = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)
    )
    offered = 0
    found: list[types.CodeAction | types.Command] = []
    for only in (None, [types.CodeActionKind.SourceFixAll], [types.CodeActionKind.QuickFix]):
        raw = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=document,
                range=whole,
                context=types.CodeActionContext(
                    diagnostics=diagnostics,
                    only=only,
                    trigger_kind=types.CodeActionTriggerKind.Invoked,
                ),
            )
        )
        found += structure_code_actions(raw)
    calls: list[types.Command] = []
    for action in found:
        if isinstance(action, types.Command):
            calls.append(action)
            continue
        offered += 1 if action.edit is not None else 0
        if action.command is not None:
            calls.append(action.command)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=document)
    )
    calls += [lens.command for lens in lenses or [] if lens.command is not None]
    calls += [
        types.Command(title=name, command=name, arguments=[{"uri": uri}]) for name in commands
    ]
    for call in calls:
        try:
            await session.command(call.command, *(call.arguments or []))
        except Exception as exc:  # a refusal is an answer too; what matters is the disk
            assert "JsonRpc" in type(exc).__name__, exc
    return offered


async def _lint_of(session: Session, uri: str) -> list[types.Diagnostic]:
    return await session.diagnostics(uri, lambda found: True)


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_the_server_changes_files_only_through_the_editor(
    profile: str, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    _lay_out(root)
    before = snapshot(root)
    async with fresh_session(profile, [root]) as session:
        provider = session.client.init_result
        assert provider is not None and provider.capabilities.execute_command_provider is not None
        commands = list(provider.capabilities.execute_command_provider.commands)
        assert "scriptcontract.createInputs" in commands and "scriptcontract.runNow" in commands
        uris = [
            session.open_uri(session.uri(relative), _as_an_editor_reads(root / relative))
            for relative in _script_paths(root)
            if relative != UNSAVED[0]
        ]
        unsaved = session.open_uri(session.uri(UNSAVED[0]), UNSAVED[1] + "# typing\n")
        offered = 0
        for uri in [*uris, unsaved]:
            offered += await _everything_on(session, uri, commands)
        for uri in [*uris, unsaved]:
            session.save(uri)
            session.close(uri)
        await session.round_trip()
        applied = _applied_paths(session)

    changed = {line.split(":")[0] for line in differences(before, snapshot(root))}
    assert offered > 5, "the fixes were offered as edits"
    assert applied, "createInputs and addCase went through workspace/applyEdit"
    assert all(path.endswith((".inputs.json", ".cases.json")) for path in applied), applied
    unexplained = changed - applied - RUN_OUTPUT - {"."} - _parents(applied)
    assert not unexplained, f"changed behind the editor's back: {sorted(unexplained)}"
    assert (root / "output" / "result.json").exists(), "the writer script did run"


def _script_paths(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "scripts").glob("*.py"))


def _as_an_editor_reads(path: Path) -> str:
    raw = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


def _parents(paths: set[str]) -> set[str]:
    """Directories whose times change when a file is created in them."""
    return {Path(path).parent.as_posix() for path in paths}
