"""Rule links: on hover over a finding for every client, to the packaged page unless the
user names where the docs are published (`docs.baseUrl`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import to_fs_path

from tests.lsp.conftest import Session, fresh_session, make_project
from tests.lsp.test_code_actions import STRAY_PRINT

STRAY_LINE = 5  # print("debugging the inputs")


async def hover_text(lsp: Session, uri: str, line: int, character: int) -> str:
    answer = await lsp.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    assert answer is not None, "no hover"
    assert isinstance(answer.contents, types.MarkupContent)
    return answer.contents.value


async def stray_print_finding(lsp: Session, uri: str) -> types.Diagnostic:
    found = await lsp.diagnostics(uri, lambda d: any(x.code == "SCR105" for x in d))
    (stray,) = [d for d in found if d.code == "SCR105"]
    assert stray.range.start.line == STRAY_LINE
    return stray


async def test_hover_on_a_finding_gives_the_rules_summary_and_link(lsp: Session, name: str) -> None:
    uri = lsp.open(name, STRAY_PRINT)
    stray = await stray_print_finding(lsp, uri)
    text = await hover_text(lsp, uri, STRAY_LINE, stray.range.start.character + 2)
    assert "SCR105" in text and "stray-stdout-output" in text
    assert "stdout" in text.split("SCR105", 1)[1]  # the summary
    link = text.rsplit("(", 1)[1].rstrip(")") if "](" in text else text.rsplit("\n", 1)[1]
    assert link.startswith("file://") and link.endswith("/SCR105.md"), text
    page = Path(to_fs_path(link) or "")
    assert page.read_text(encoding="utf-8").startswith("<!-- Generated")
    assert "# SCR105 `stray-stdout-output`" in page.read_text(encoding="utf-8")


async def test_no_rule_hover_away_from_findings(lsp: Session, name: str) -> None:
    uri = lsp.open(name, STRAY_PRINT)
    await stray_print_finding(lsp, uri)
    answer = await lsp.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=1),  # `import json`
        )
    )
    assert answer is None


async def test_the_packaged_pages_go_to_the_users_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_project(tmp_path / "project")
    async with fresh_session("vscode-modern", [root]) as lsp:
        uri = lsp.open("scripts/job.py", STRAY_PRINT)
        stray = await stray_print_finding(lsp, uri)
        assert stray.code_description is not None
        page = Path(to_fs_path(stray.code_description.href) or "")
        assert page.parent.parent == tmp_path / "cache" / "scriptcontract"
        assert "# SCR105" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("profile", ["vscode-modern", "neovim"])
async def test_docs_base_url_names_where_the_rule_pages_are(tmp_path: Path, profile: str) -> None:
    root = make_project(tmp_path / "project")
    options = {"settings": {"docs": {"baseUrl": "https://docs.example.org/rules/"}}}
    async with fresh_session(profile, [root], options) as lsp:
        uri = lsp.open("scripts/job.py", STRAY_PRINT)
        stray = await stray_print_finding(lsp, uri)
        expected = "https://docs.example.org/rules/SCR105.md"
        if lsp.pulls:  # the profile that shows codeDescription
            assert stray.code_description is not None
            assert stray.code_description.href == expected
        text = await hover_text(lsp, uri, STRAY_LINE, stray.range.start.character)
        assert expected in text
