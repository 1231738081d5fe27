"""lint.run = "onSave": what the editor shows is the saved text's, whatever else asks for an
analysis of the unsaved text."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import CLEAN, PROFILES, Session, fresh_session, make_project
from tests.lsp.test_code_actions import STRAY_PRINT, actions

FIX_ALL = "source.fixAll.scriptcontract"


def codes_and_lines(found: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in found)


async def opened_clean(lsp: Session, uri: str) -> None:
    """Waits for the (empty) diagnostics of a clean document's open."""
    if lsp.pulls:
        assert await lsp.diagnostics(uri, lambda found: not found) == []
    else:
        await lsp.until(lambda: bool(lsp.client.published.get(uri)))
        assert lsp.current(uri) == []


async def shown_after_round_trip(lsp: Session, uri: str) -> list[types.Diagnostic]:
    await lsp.round_trip()
    return await lsp.shown(uri)


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_a_fix_all_request_does_not_show_the_unsaved_text_findings(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    options = {"settings": {"lint": {"run": "onSave", "debounceMs": 0}}}
    async with fresh_session(profile, [root], options) as lsp:
        uri = lsp.open("scripts/job.py", CLEAN)
        await opened_clean(lsp, uri)
        published = len(lsp.client.published.get(uri, []))
        lsp.replace_all(uri, STRAY_PRINT.lstrip("\n"))
        # The fix-all is computed for the text as it is now (its edits must fit it)...
        (fix_all,) = await actions(lsp, uri, [], only=[FIX_ALL])
        assert isinstance(fix_all, types.CodeAction) and fix_all.kind == FIX_ALL
        # ...but the editor goes on showing the saved text's findings: none.
        assert await shown_after_round_trip(lsp, uri) == []
        if not lsp.pulls:
            assert len(lsp.client.published[uri]) == published
