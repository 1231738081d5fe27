"""A configuration a run planted below the project's, through the real server.

`check` refuses a nested configuration that is neither tracked by git as it is nor
trusted by content (`tests/cli/test_planted_nested_config.py`); the server used any it
found: a run from the editor wrote `scripts/scriptcontract.toml` with `ignore = ["ALL"]`
(or an `exclude`, `per-file-ignores`, an empty `pyproject.toml` making a new root) and the
editor showed no finding in any script there, or `[sandbox] enabled = false` and the
next "Run" of those scripts went unconfined. Now the server applies `check`'s rule
(`nested_configs.unvouched`): the file is passed over, said once, and runs of its scripts
are refused. Each refusal beside its control: once vouched for, the same file blanks the
same diagnostics; rewritten after, it is refused again.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.cli.runner import scriptcontract, stage_in_git
from tests.cli.test_planted_nested_config import FINDINGS, WRITES, run_git
from tests.lsp.conftest import Session, codes, fresh_session, make_project

PLANTED = {
    "ignore ALL": ("scripts/scriptcontract.toml", "include = ['*.py']\nignore = ['ALL']\n"),
    "exclude": ("scripts/scriptcontract.toml", "exclude = ['*.py']\n"),
    "per-file-ignores": (
        "scripts/scriptcontract.toml",
        "include = ['*.py']\n[per-file-ignores]\n'job.py' = ['ALL']\n",
    ),
    "a new root": ("scripts/pyproject.toml", "[project]\nname = 'x'\n"),
}
UNCONFINED = "import json, sys\njson.load(sys.stdin)\nprint(json.dumps({'success': True}))\n"


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The trust record in a folder of the test's own, for the server and the CLI alike."""
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    return env


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    (root / "scripts/job.py").write_text(FINDINGS)
    (root / "tools").mkdir()
    (root / "tools/plant.py").write_text(WRITES)
    return root


async def _run(session: Session, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    arguments = {"uri": session.uri(name), "inputs": inputs}
    result: dict[str, Any] = await asyncio.wait_for(
        session.command("scriptcontract.runNow", arguments), 30
    )
    return result


def _changed_on_disk(session: Session, name: str) -> None:
    event = types.FileEvent(uri=session.uri(name), type=types.FileChangeType.Changed)
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[event])
    )


def _notices(session: Session, file: Path) -> list[str]:
    return [
        m.message
        for m in session.client.messages
        if m.type == types.MessageType.Warning and f"{file}: " in m.message
    ]


def _has(code: str) -> Any:
    return lambda found: code in codes(found)


def _lacks(code: str) -> Any:
    return lambda found: code not in codes(found)


async def _planted_by_a_run(session: Session, name: str, text: str) -> tuple[str, str]:
    """Open scripts/job.py (its finding shown), then let a real run from the editor plant
    `name` (the sandbox lets it write there): the script's URI, and the one notice said."""
    uri = session.open("scripts/job.py")
    await session.diagnostics(uri, _has("SCR105"))
    ran = await _run(session, "tools/plant.py", {"files": [[name, text]]})
    assert ran["success"] is True, ran["error"]
    assert (session.root / name).read_text() == text
    _changed_on_disk(session, name)
    session.save(uri)
    await session.until(lambda: bool(_notices(session, session.root / name)))
    await session.round_trip()
    assert "SCR105" in codes(await session.shown(uri))
    (notice,) = _notices(session, session.root / name)
    return uri, notice


@pytest.mark.parametrize("planted", sorted(PLANTED))
async def test_a_configuration_a_run_planted_changes_no_diagnostic_until_vouched_for(
    tmp_path: Path, state: dict[str, str], planted: str
) -> None:
    name, text = PLANTED[planted]
    root = _project(tmp_path)
    file = root / name
    async with fresh_session("neovim", [root]) as session:
        uri, notice = await _planted_by_a_run(session, name, text)
        # No git here: trusting is the way (`git add` only where there is a repository).
        assert f"`scriptcontract trust {file}`" in notice and "git add" not in notice
        refused = await _run(session, "scripts/job.py", {})
        assert refused["success"] is False
        assert "with no git to vouch for it" in refused["error"], refused["error"]

        # The control: once trusted, the same file blanks the same diagnostics, no restart.
        trusted = scriptcontract("trust", str(file), cwd=root, env=state)
        assert trusted.returncode == 0, trusted.stdout + trusted.stderr
        session.save(uri)
        await session.diagnostics(uri, _lacks("SCR105"))

        # Rewritten after (as a run could), it is refused again and said again.
        file.write_text(text + "# changed\n")
        _changed_on_disk(session, name)
        await session.diagnostics(uri, _has("SCR105"))
        await session.until(lambda: len(_notices(session, file)) == 2)


async def test_a_configuration_staged_in_git_is_used_without_a_restart(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """The other way to vouch: `git add`; the index is what says so, not the file."""
    name, text = PLANTED["ignore ALL"]
    root = _project(tmp_path)
    stage_in_git(root, "pyproject.toml", "scripts/job.py")
    (root / name).write_text(text)
    async with fresh_session("neovim", [root]) as session:
        uri = session.open("scripts/job.py")
        await session.until(lambda: bool(_notices(session, root / name)))
        await session.round_trip()
        assert "SCR105" in codes(await session.shown(uri))
        stage_in_git(root, name)
        session.save(uri)
        await session.diagnostics(uri, _lacks("SCR105"))


async def test_a_configuration_staged_in_a_submodule_is_used_without_a_restart(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """A submodule's index lies in the outer repository's `.git/modules/`: staging the
    configuration there vouches for it (as `check` says) at the next lint, not only after a
    restart. The other index: the outer one's, unchanged by this `git add`."""
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "job.py").write_text(FINDINGS)
    for step in (["init", "-q", "."], ["add", "-A"], ["commit", "-qm", "inner"]):
        run_git(inner, *step)
    root = _project(tmp_path)
    run_git(root, "init", "-q", ".")
    run_git(root, "submodule", "add", "-q", str(inner), "scripts/vendor")
    name = "scripts/vendor/scriptcontract.toml"
    (root / name).write_text("include = ['*.py']\nignore = ['ALL']\n")
    async with fresh_session("neovim", [root]) as session:
        uri = session.open("scripts/vendor/job.py")
        await session.until(lambda: bool(_notices(session, root / name)))
        await session.round_trip()
        assert "SCR105" in codes(await session.shown(uri))
        outer_index = (root / ".git/index").stat().st_mtime_ns
        run_git(root / "scripts/vendor", "add", "scriptcontract.toml")
        assert (root / ".git/index").stat().st_mtime_ns == outer_index
        session.save(uri)
        await session.diagnostics(uri, _lacks("SCR105"))


async def test_a_planted_configuration_cannot_turn_the_sandbox_off_for_the_editors_runs(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """A trusted `enabled = false` runs unconfined (the control); planted, it runs nothing:
    the editor does not ask to trust settings of a file nobody vouched for."""
    root = _project(tmp_path)
    nested = root / "scripts/scriptcontract.toml"
    nested.write_text("[sandbox]\nenabled = false\n")
    (root / "scripts/unconfined.py").write_text(UNCONFINED)
    asked: list[str] = []
    async with fresh_session("neovim", [root]) as session:

        @session.client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)  # type: ignore[untyped-decorator]
        def ask(ls: Any, params: types.ShowMessageRequestParams) -> None:
            asked.append(params.message)

        session.open("scripts/unconfined.py")
        refused = await _run(session, "scripts/unconfined.py", {})
        assert refused["success"] is False
        assert (
            f"scripts/scriptcontract.toml: a configuration below the one in {root}"
            in (refused["error"])
        )
        assert not asked
        trusted = scriptcontract("trust", str(nested), cwd=root, env=state)
        assert trusted.returncode == 0, trusted.stdout + trusted.stderr
        ran = await _run(session, "scripts/unconfined.py", {})
        assert ran["success"] is True, ran["error"]
        assert ran["sandbox"]["enforced"] == [], json.dumps(ran["sandbox"])


async def test_with_no_configuration_and_no_git_one_planted_below_the_folder_is_not_used(
    tmp_path: Path, state: dict[str, str]
) -> None:
    """No configuration and no git: a run of a script in no project is rooted at the
    workspace folder, and writes every folder below its top level. What it plants there
    counted as the outermost configuration; now the folder is the top it lies below."""
    root = tmp_path / "folder"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts/job.py").write_text(FINDINGS)
    (root / "tools").mkdir()
    (root / "tools/plant.py").write_text(WRITES)
    name, text = PLANTED["ignore ALL"]
    file = root / name
    async with fresh_session("neovim", [root]) as session:
        uri, notice = await _planted_by_a_run(session, name, text)
        assert f"below the top of the workspace folder {root}" in notice
        # No git to stage it in: the advice is the trust, or that folder as the workspace.
        assert "git add" not in notice and "open that folder as the workspace" in notice
        # The control: trusted, the same file blanks the same diagnostics.
        trusted = scriptcontract("trust", str(file), cwd=root, env=state)
        assert trusted.returncode == 0, trusted.stdout + trusted.stderr
        session.save(uri)
        await session.diagnostics(uri, _lacks("SCR105"))
