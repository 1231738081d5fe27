"""A script's declared schema beside it (`<name>.schema.json`): keys the code reads and the
schema lacks are SCR107 diagnostics, and a change of the file on disk updates them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from tests.lsp.conftest import fresh_session, make_project, watched_globs

SCRIPT = """import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps({"success": True, "n": inputs.get("n", 1), "mode": inputs["mode"]}))
except KeyError as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
"""
LACKS_MODE = '{"type": "object", "properties": {"n": {"type": "integer"}}}'
LISTS_BOTH = '{"type": "object", "properties": {"n": {}, "mode": {}}}'


def _changed(path: Path, kind: types.FileChangeType) -> types.DidChangeWatchedFilesParams:
    uri = from_fs_path(str(path)) or ""
    return types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=kind)])


def _undeclared(found: list[types.Diagnostic]) -> list[tuple[int, int, str]]:
    return [
        (d.range.start.line, d.range.start.character, d.message)
        for d in found
        if d.code == "SCR107"
    ]


@pytest.mark.parametrize("profile", ["vscode", "vscode-modern", "neovim"])
async def test_a_changed_schema_file_relints_the_script_beside_it(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    schema = root / "scripts" / "job.schema.json"
    schema.write_text(LACKS_MODE, encoding="utf-8")
    async with fresh_session(profile, [root], {"settings": {"lint": {"debounceMs": 0}}}) as lsp:
        if profile.startswith("vscode"):  # they register watchers dynamically
            assert "**/*.schema.json" in await watched_globs(lsp)
        uri = lsp.open("scripts/job.py", SCRIPT)
        found = await lsp.diagnostics(uri, lambda found: bool(_undeclared(found)))
        assert _undeclared(found) == [
            (
                5,
                79,
                "the input key `mode` is read here, but `job.schema.json` does not declare "
                "it: callers that follow the schema never pass it",
            )
        ]
        schema.write_text(LISTS_BOTH, encoding="utf-8")
        lsp.client.workspace_did_change_watched_files(
            _changed(schema, types.FileChangeType.Changed)
        )
        found = await lsp.diagnostics(uri, lambda found: not _undeclared(found))
        assert [d.code for d in found] == ["SCR207"]  # analysed again, the rest unchanged
        schema.unlink()
        lsp.client.workspace_did_change_watched_files(
            _changed(schema, types.FileChangeType.Deleted)
        )
        schema.write_text(LACKS_MODE, encoding="utf-8")
        lsp.client.workspace_did_change_watched_files(
            _changed(schema, types.FileChangeType.Created)
        )
        found = await lsp.diagnostics(uri, lambda found: bool(_undeclared(found)))
        assert [line for line, _, _ in _undeclared(found)] == [5]
