"""lint.run = "onSave": what the editor shows is the saved text's, whatever else asks for an
analysis of the unsaved text, and whenever the mode is switched on."""

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


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_switching_to_on_save_keeps_the_findings_of_an_unsaved_buffer(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    configuration = {"": {"lint": {"run": "onType", "debounceMs": 0}}}
    async with fresh_session(profile, [root], configuration=configuration) as lsp:
        uri = lsp.open("scripts/job.py", CLEAN)
        await opened_clean(lsp, uri)
        lsp.replace_all(uri, STRAY_PRINT.lstrip("\n"))  # unsaved: the file on disk is CLEAN
        typed = codes_and_lines(await lsp.diagnostics(uri))
        assert ("SCR105", 5) in typed  # the stray print
        # The severity change shows when the settings were applied (the analysis is redone).
        settings = {"lint": {"run": "onSave"}, "severity": {"SCR105": "hint"}}
        lsp.client.set_configuration(settings, section="scriptcontract")
        lsp.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None)
        )
        hinted = await lsp.diagnostics(uri, lambda found: HINT in severities(found, "SCR105"))
        # What was shown for the unsaved text is still shown, not the saved text's (none)...
        assert codes_and_lines(hinted) == typed
        # ...until the next save; an edit is not linted before it.
        lsp.edit(uri, (0, 0), (0, 0), "import os\n")
        assert codes_and_lines(await shown_after_round_trip(lsp, uri)) == typed
        lsp.write("scripts/job.py", "import os\n" + STRAY_PRINT.lstrip("\n"))
        lsp.save(uri)
        saved = await lsp.diagnostics(uri, lambda found: codes_and_lines(found) != typed)
        assert ("SCR105", 6) in codes_and_lines(saved)


HINT = types.DiagnosticSeverity.Hint


def severities(found: list[types.Diagnostic], code: str) -> list[types.DiagnosticSeverity | None]:
    return [d.severity for d in found if d.code == code]
