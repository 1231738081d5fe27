"""Through the language server: a configuration a run could have written is not used
untrusted, and one with errors runs nothing; the editor is asked, and its answer counts.

Each refusal is followed by its positive control: once trusted (or fixed) the very same
run works and the loosened setting takes effect.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, fresh_session, make_project, vouch

SHOWS_SECRET = (
    "import json, os, sys\n"
    "json.load(sys.stdin)\n"
    "print(json.dumps({'success': True, 'secret': os.environ.get('SCRIPTCONTRACT_TEST_SECRET')}))\n"
)
TRUST = "Trust these settings"


@pytest.fixture
def trust_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's trust record in a folder of the test's own (the server inherits it)."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("SCRIPTCONTRACT_TEST_SECRET", "s3cret")
    return state


def _answer_requests(session: Session, answer: str | None) -> list[str]:
    """Answer every window/showMessageRequest with `answer`; the messages asked, in order."""
    asked: list[str] = []

    @session.client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)  # type: ignore[untyped-decorator]
    def ask(ls: Any, params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        asked.append(params.message)
        return types.MessageActionItem(title=answer) if answer else None

    return asked


async def _run(session: Session, name: str) -> dict[str, Any]:
    result: dict[str, Any] = await asyncio.wait_for(
        session.command("scriptcontract.runNow", {"uri": session.uri(name), "inputs": {}}), 30
    )
    return result


async def _message(session: Session, starts: str) -> str:
    async def seen() -> str:
        while True:
            for params in session.client.messages:
                if params.message.startswith(starts):
                    return params.message
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(seen(), 10)


async def test_untrusted_loosening_is_refused_until_the_editor_trusts_it(
    tmp_path: Path, trust_state: Path
) -> None:
    root = make_project(tmp_path / "project")
    with (root / "pyproject.toml").open("a") as config:
        config.write(
            '\n[tool.scriptcontract.executor]\npass-env = ["SCRIPTCONTRACT_TEST_SECRET"]\n'
        )
    (root / "scripts/secret.py").write_text(SHOWS_SECRET)
    async with fresh_session("neovim", [root]) as session:
        asked = _answer_requests(session, TRUST)
        session.open("scripts/secret.py", SHOWS_SECRET)
        refused = await _run(session, "scripts/secret.py")
        assert refused["success"] is False
        assert "loosens the sandbox" in refused["error"]
        assert "executor.pass-env" in refused["error"]
        assert await _message(session, "Trusted ")
        assert len(asked) == 1 and "executor.pass-env" in asked[0]
        # The positive control: trusted, the run goes ahead and the setting takes effect.
        result = await _run(session, "scripts/secret.py")
        assert result["success"] is True, result["error"]
        assert result["output"]["secret"] == "s3cret"
    assert (trust_state / "scriptcontract/trusted.json").is_file()


async def test_declining_keeps_runs_refused(tmp_path: Path, trust_state: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "scripts/scriptcontract.toml").write_text("[sandbox]\nenabled = false\n")
    # Its content vouched for (a file nobody vouched for runs nothing, and is not asked
    # about: test_planted_nested_config.py); its loosening still needs the editor's yes.
    vouch(root / "scripts/scriptcontract.toml")
    (root / "scripts/secret.py").write_text(SHOWS_SECRET)
    async with fresh_session("neovim", [root]) as session:
        asked = _answer_requests(session, None)
        session.open("scripts/secret.py", SHOWS_SECRET)
        for _ in range(2):
            refused = await _run(session, "scripts/secret.py")
            assert refused["success"] is False
            assert "sandbox.enabled = false" in refused["error"]
        assert len(asked) == 2
    assert "sandbox.enabled" not in (trust_state / "scriptcontract/trusted.json").read_text()


async def test_a_configuration_with_errors_runs_nothing(tmp_path: Path, trust_state: Path) -> None:
    root = make_project(tmp_path / "project")
    config = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(
        config + "\n[tool.scriptcontract.sandbox]\nnework = false\n"
    )
    marks = "import json\nopen('scripts/ran', 'w').close()\nprint(json.dumps({'success': True}))\n"
    (root / "scripts/marks.py").write_text(marks)
    async with fresh_session("neovim", [root]) as session:
        session.open("scripts/marks.py", marks)
        refused = await _run(session, "scripts/marks.py")
        assert refused["success"] is False
        assert "configuration has errors" in refused["error"]
        assert "nework: unknown key" in refused["error"]
        assert not (root / "scripts/ran").exists()
        # The positive control: fixed, the same run writes its mark.
        (root / "pyproject.toml").write_text(
            config + "\n[tool.scriptcontract.sandbox]\nnetwork = false\n"
        )
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=session.uri("pyproject.toml"), type=types.FileChangeType.Changed
                    )
                ]
            )
        )
        result = await _run(session, "scripts/marks.py")
        assert result["success"] is True, result["error"]
        assert (root / "scripts/ran").exists()


async def test_trusting_in_the_editor_keeps_the_content_trust_check_needs(
    tmp_path: Path, trust_state: Path
) -> None:
    """`scriptcontract trust FILE` vouched for a nested configuration's content; the
    project's top then said `network = false`, so the editor asks to trust the nested
    `network = true`. Saying yes records the setting beside the content, never instead:
    `check` goes on using the file without asking again."""
    from tests.cli.runner import scriptcontract

    root = make_project(tmp_path / "project")
    nested = root / "scripts/scriptcontract.toml"
    nested.write_text("include = ['*.py']\nignore = ['SCR']\n[sandbox]\nnetwork = true\n")
    (root / "scripts/job.py").write_text("import json, sys\njson.load(sys.stdin)\nprint('x')\n")
    (root / "scripts/ok.py").write_text(SHOWS_SECRET)
    env = {"XDG_STATE_HOME": str(trust_state)}
    trusted = scriptcontract("trust", str(nested), cwd=root, env=env)
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    checked = scriptcontract("check", "scripts/job.py", cwd=root, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with (root / "pyproject.toml").open("a") as config:
        config.write("\n[tool.scriptcontract.sandbox]\nnetwork = false\n")
    async with fresh_session("neovim", [root]) as session:
        asked = _answer_requests(session, TRUST)
        session.open("scripts/ok.py", SHOWS_SECRET)
        refused = await _run(session, "scripts/ok.py")
        assert refused["success"] is False
        assert "sandbox.network = true" in refused["error"]
        assert await _message(session, "Trusted ")
        assert len(asked) == 1
        # The editor's trust counts: the run goes ahead.
        result = await _run(session, "scripts/ok.py")
        assert result["success"] is True, result["error"]
    checked = scriptcontract("check", "scripts/job.py", cwd=root, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The control: the content trust is what check relies on; a change voids it.
    nested.write_text(nested.read_text() + "exclude = ['*.py']\n")
    changed = scriptcontract("check", "scripts/job.py", cwd=root, env=env)
    assert changed.returncode == 2, changed.stdout + changed.stderr
