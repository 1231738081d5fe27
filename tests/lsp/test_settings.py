"""Settings: initializationOptions (both shapes), workspace/configuration, didChangeConfiguration,
watched configuration files, multi-root folders, invalid values, and lint.run = "onSave"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from tests.lsp.conftest import BROKEN, PROFILES, fresh_session, make_project, watched_globs
from tests.lsp.conftest import CLEAN as FIXED


def severities(found: list[types.Diagnostic]) -> list[types.DiagnosticSeverity | None]:
    return [d.severity for d in found]


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or ""


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_on_save_mode_lints_the_saved_text_only(tmp_path: Path, profile: str) -> None:
    root = make_project(tmp_path / "project")
    options = {"settings": {"lint": {"run": "onSave", "debounceMs": 0}}}
    async with fresh_session(profile, [root], options) as lsp:
        uri = lsp.open("scripts/job.py", FIXED)
        assert await lsp.diagnostics(uri, lambda found: not found) == []
        lsp.replace_all(uri, BROKEN)
        await lsp.round_trip()
        assert await lsp.shown(uri) == []
        if not lsp.pulls:
            assert [p.version for p in lsp.client.published[uri]] == [1]  # the open's only
        refreshes = lsp.client.diagnostic_refresh_count
        lsp.write("scripts/job.py", BROKEN)
        lsp.save(uri)
        found = await lsp.diagnostics(uri)
        assert [str(d.code) for d in found] == ["SCR001"]
        if lsp.pulls:  # the client was told to pull again: nothing else would make it
            assert lsp.client.diagnostic_refresh_count > refreshes


@pytest.mark.parametrize("profile", ["neovim", "emacs"])
async def test_plain_initialization_options_apply(tmp_path: Path, profile: str) -> None:
    root = make_project(tmp_path / "project")
    options = {"settings": {"severity": {"SCR0": "warning"}, "lint": {"debounceMs": 0}}}
    async with fresh_session(profile, [root], options) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        assert severities(await lsp.diagnostics(uri)) == [types.DiagnosticSeverity.Warning]


@pytest.mark.parametrize("profile", ["vscode", "vscode-modern"])
async def test_per_folder_settings_and_roots_in_a_multi_root_workspace(
    tmp_path: Path, profile: str
) -> None:
    first = make_project(tmp_path / "first")
    second = tmp_path / "second"
    (second / "jobs").mkdir(parents=True)
    (second / "scriptcontract.toml").write_text('include = ["jobs/*.py"]\n')
    options = {
        "settings": [
            {"workspace": uri_of(first), "severity": {"SCR001": "hint"}},
            {"workspace": uri_of(second), "lint": {"debounceMs": 0}},
        ],
        "globalSettings": {"logLevel": "debug"},
    }
    async with fresh_session(profile, [first, second], options) as lsp:
        in_first = lsp.open_uri(uri_of(first / "scripts" / "a.py"), BROKEN)
        in_second = lsp.open_uri(uri_of(second / "jobs" / "b.py"), BROKEN)
        not_a_job = lsp.open_uri(uri_of(second / "scripts" / "c.py"), BROKEN)
        assert severities(await lsp.diagnostics(in_first)) == [types.DiagnosticSeverity.Hint]
        assert severities(await lsp.diagnostics(in_second)) == [types.DiagnosticSeverity.Error]
        assert await lsp.diagnostics(not_a_job, lambda found: not found) == []


async def test_a_file_outside_every_folder_uses_the_nearest_project(tmp_path: Path) -> None:
    folder = make_project(tmp_path / "folder")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tools").mkdir(parents=True)
    (elsewhere / "scriptcontract.toml").write_text('include = ["tools/*.py"]\n')
    async with fresh_session("neovim", [folder]) as lsp:
        uri = lsp.open_uri(uri_of(elsewhere / "tools" / "x.py"), BROKEN)
        assert [str(d.code) for d in await lsp.diagnostics(uri)] == ["SCR001"]


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_workspace_configuration_is_read_and_reread_on_change(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    configuration = {"": {"severity": {"SCR001": "information"}, "lint": {"debounceMs": 0}}}
    async with fresh_session(profile, [root], configuration=configuration) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        found = await lsp.diagnostics(uri)
        assert severities(found) == [types.DiagnosticSeverity.Information]
        lsp.client.set_configuration({"severity": {"SCR001": "off"}}, section="scriptcontract")
        lsp.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None)
        )
        assert await lsp.diagnostics(uri, lambda found: not found) == []


async def test_pushed_configuration_applies_when_the_client_cannot_answer_pulls(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("emacs", [root], tweak=_without_configuration) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        await lsp.diagnostics(uri)
        lsp.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(
                settings={"scriptcontract": {"severity": {"SCR001": "warning"}}}
            )
        )
        found = await lsp.diagnostics(
            uri, lambda found: severities(found) == [types.DiagnosticSeverity.Warning]
        )
        assert len(found) == 1


def _without_configuration(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.workspace is not None
    capabilities.workspace.configuration = False


@pytest.mark.parametrize("profile", ["vscode", "vscode-modern", "neovim"])
async def test_a_changed_configuration_file_relints_open_documents(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session(profile, [root], {"settings": {"lint": {"debounceMs": 0}}}) as lsp:
        if profile.startswith("vscode"):  # they register watchers dynamically
            globs = await watched_globs(lsp)
            assert "**/pyproject.toml" in globs and "**/scriptcontract.toml" in globs
        uri = lsp.open("scripts/job.py", BROKEN)
        await lsp.diagnostics(uri)
        (root / "pyproject.toml").write_text('[tool.scriptcontract]\ninclude = ["jobs/*.py"]\n')
        lsp.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=uri_of(root / "pyproject.toml"), type=types.FileChangeType.Changed
                    )
                ]
            )
        )
        assert await lsp.diagnostics(uri, lambda found: not found) == []


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_invalid_settings_give_one_message_and_the_defaults(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    options = {
        "settings": {
            "lint": {"run": "sometimes", "debounceMs": 0},
            "severity": {"SCR001": "loud"},
            "run": {"timeoutMs": -1, "pyton": "python3"},
        }
    }
    async with fresh_session(profile, [root], options) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        assert severities(await lsp.diagnostics(uri)) == [types.DiagnosticSeverity.Error]
        warnings = [
            m for m in lsp.client.messages if "Invalid scriptcontract settings" in m.message
        ]
        assert len(warnings) == 1
        for key in ("lint.run", "severity.SCR001", "run.timeoutMs"):
            assert key in warnings[0].message
        # A misspelt key would do nothing, silently: it is named, with the one meant.
        assert "run.pyton: unknown setting (did you mean run.python?)" in warnings[0].message
        lsp.replace_all(uri, FIXED)  # "onType" still applies: the bad value fell back to it
        assert await lsp.diagnostics(uri, lambda found: not found) == []


async def test_invalid_project_configuration_names_the_file_and_key(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "scriptcontract.toml").write_text('include = "scripts/*.py"\nbogus-key = 1\n')
    async with fresh_session("neovim", [root]) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        await lsp.diagnostics(uri)
        (message,) = [m.message for m in lsp.client.messages if "configuration" in m.message]
        assert "scriptcontract.toml" in message and "bogus-key" in message
        assert str(root) not in message  # named as the user knows it, in the project
        assert "runs are refused until it is fixed" in message
        # What the message says holds: the run is refused, nothing started.
        result = await lsp.command("scriptcontract.run", {"uri": uri, "inputs": {}})
        assert result["success"] is False and result["exit_code"] is None, result


async def test_lint_can_be_turned_off(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("vscode", [root], {"settings": {"lint": {"enabled": False}}}) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        # A run publishes its own diagnostics for the document, after its open was handled:
        # once they are shown, a lint of the open would have been shown with them.
        result = await lsp.command("scriptcontract.run", {"uri": uri})
        assert result["success"] is False
        shown = await lsp.diagnostics(uri)
        assert {d.source for d in shown} == {"scriptcontract-run"}


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_partial_settings_from_several_places_add_up(tmp_path: Path, profile: str) -> None:
    root = make_project(tmp_path / "project")
    options = {"settings": {"severity": {"SCR001": "hint"}}}
    configuration = {"": {"lint": {"debounceMs": 0}, "severity": {"SCR2": "off"}}}
    async with fresh_session(profile, [root], options, configuration) as lsp:
        uri = lsp.open("scripts/job.py", BROKEN)
        # The answer to workspace/configuration did not set SCR001: the init options' value holds.
        assert severities(await lsp.diagnostics(uri)) == [types.DiagnosticSeverity.Hint]


async def test_changes_in_quick_succession_are_linted_once_after_the_pause(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("neovim", [root], {"settings": {"lint": {"debounceMs": 300}}}) as lsp:
        uri = lsp.open("scripts/job.py", FIXED)
        await lsp.until(lambda: uri in lsp.client.published)
        before = len(lsp.client.published[uri])
        for index in range(10):
            lsp.edit(uri, (0, 0), (0, 0), f"# typing {index}\n")
        await asyncio.sleep(0.15)
        assert len(lsp.client.published[uri]) == before  # still typing: nothing yet
        await lsp.until(lambda: len(lsp.client.published[uri]) > before)
        await asyncio.sleep(0.4)  # past the pause of any later edit: its lint would be started
        await lsp.round_trip()
        assert len(lsp.client.published[uri]) == before + 1
        assert lsp.client.published[uri][-1].version == lsp.versions[uri]


async def test_per_file_ignores_apply_in_the_editor_as_in_check(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "scriptcontract.toml").write_text(
        '[per-file-ignores]\n"scripts/legacy/*.py" = ["SCR105"]\n'
    )
    stray = 'import sys\nprint("starting")\n'
    async with fresh_session("neovim", [root]) as lsp:
        legacy = lsp.open("scripts/legacy/job.py", stray)
        plain = lsp.open("scripts/job.py", stray)
        assert "SCR105" in [str(d.code) for d in await lsp.diagnostics(plain)]
        codes = [str(d.code) for d in await lsp.diagnostics(legacy)]
        assert codes and "SCR105" not in codes  # the others still apply
