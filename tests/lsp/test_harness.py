"""The test client itself: an edit it cannot apply fails the test instead of vanishing."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from tests.lsp.conftest import apply_to_disk


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def test_it_creates_files_and_inserts_at_their_start_in_order(tmp_path: Path) -> None:
    target = tmp_path / "job.inputs.json"
    uri = from_fs_path(str(target)) or ""
    start = types.Range(start=at(0, 0), end=at(0, 0))
    edit = types.WorkspaceEdit(
        document_changes=[
            types.CreateFile(uri=uri),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[
                    types.TextEdit(range=start, new_text="{"),
                    types.TextEdit(range=start, new_text="}"),
                ],
            ),
        ]
    )
    assert apply_to_disk(edit) == []
    assert target.read_text() == "{}"


def test_it_replaces_and_inserts_anywhere_in_ascii_text(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_text("print('a')\nx = 1\n")
    uri = from_fs_path(str(target)) or ""
    edit = types.WorkspaceEdit(
        changes={
            uri: [
                types.TextEdit(range=types.Range(start=at(0, 6), end=at(0, 9)), new_text="'b'"),
                types.TextEdit(range=types.Range(start=at(1, 5), end=at(1, 5)), new_text="0"),
            ]
        }
    )
    assert apply_to_disk(edit) == []
    assert target.read_text() == "print('b')\nx = 10\n"


def test_an_edit_it_cannot_apply_is_refused_whole_and_reported(tmp_path: Path) -> None:
    # Outside ASCII, a column means something else in each encoding: not guessed.
    target = tmp_path / "job.py"
    target.write_text("print('é')\n")
    uri = from_fs_path(str(target)) or ""
    start = types.Range(start=at(0, 0), end=at(0, 0))
    middle = types.Range(start=at(0, 6), end=at(0, 9))
    edit = types.WorkspaceEdit(
        changes={
            uri: [
                types.TextEdit(range=start, new_text="# x\n"),
                types.TextEdit(range=middle, new_text="'b'"),
            ]
        }
    )
    (problem,) = apply_to_disk(edit)
    assert "cannot apply" in problem and "'b'" in problem
    assert target.read_text() == "print('é')\n"  # not half applied either
