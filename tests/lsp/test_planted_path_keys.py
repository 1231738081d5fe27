"""`input-path-keys` planted by a run (`scripts/scriptcontract.toml`), through the real
server: a pattern that backtracks for ever, and a script reading the key that defeats it,
held the analysis (the editor's diagnostics, hover, everything after) for good; a pattern
that matches nothing turned off the executor's check of the default path keys for the
editor's runs; a pattern the server cannot match in linear time is a configuration error,
shown, and runs are refused.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.backtracking import ATTACKS, re_is_held
from tests.lsp.conftest import WAIT_S, Session, codes, fresh_session, make_project, vouch
from tests.planted_path_keys import ECHO, READS


def _planted(tmp_path: Path, pattern: str) -> Path:
    root = make_project(tmp_path / "project")
    (root / "scripts/scriptcontract.toml").write_text(
        f"include = ['*.py']\ninput-path-keys = {pattern!r}\n", encoding="utf-8"
    )
    # Vouched for: even a configuration the server uses cannot do these.
    vouch(root / "scripts/scriptcontract.toml")
    (root / "scripts/echo.py").write_text(ECHO, encoding="utf-8")
    return root


async def _run(session: Session, inputs: dict[str, Any]) -> dict[str, Any]:
    uri = session.uri("scripts/echo.py")
    result: dict[str, Any] = await asyncio.wait_for(
        session.command("scriptcontract.runNow", {"uri": uri, "inputs": inputs}), 30
    )
    return result


@pytest.mark.parametrize(("pattern", "key"), ATTACKS)
async def test_a_planted_pattern_cannot_hold_the_analysis(
    tmp_path: Path, trust_record: Path, pattern: str, key: str
) -> None:
    assert re_is_held(pattern, key)  # the control: `re` is held by this very pair
    root = _planted(tmp_path, pattern)
    async with fresh_session("neovim", [root]) as session:
        uri = session.open("scripts/reads.py", READS.format(key=key))
        found = await session.diagnostics(uri, lambda found: "SCR303" in codes(found))
        assert any(key in d.message for d in found if d.code == "SCR303")
        # The pattern is honoured: a key it adds is a path key.
        added = session.open("scripts/added.py", READS.format(key=key.replace("!", "a")))
        await session.diagnostics(added, lambda found: bool(found))
        await session.round_trip()
        assert "SCR303" not in codes(await session.shown(added))
        # And the server keeps serving the document it was matching.
        session.replace_all(uri, READS.format(key="input_file"))
        await session.diagnostics(uri, lambda found: "SCR303" not in codes(found))


@pytest.mark.parametrize("pattern", ["zzz", "^$"])
async def test_a_planted_pattern_that_matches_nothing_leaves_the_default_keys_checked(
    tmp_path: Path, trust_record: Path, pattern: str
) -> None:
    root = _planted(tmp_path, pattern)
    async with fresh_session("neovim", [root]) as session:
        session.open("scripts/echo.py", ECHO)
        refused = await _run(session, {"input_file": "/etc/shadow"})
        assert refused["success"] is False
        assert "input_file = '/etc/shadow'" in refused["error"], refused
        # The control: the same value under a key that is no path key reaches the script.
        ran = await _run(session, {"note": "/etc/shadow"})
        assert ran["success"] is True, ran


async def test_a_pattern_that_cannot_be_matched_in_linear_time_is_shown_and_runs_nothing(
    tmp_path: Path, trust_record: Path
) -> None:
    root = _planted(tmp_path, "(?!)")
    async with fresh_session("neovim", [root]) as session:
        session.open("scripts/echo.py", ECHO)
        refused = await _run(session, {})
        assert refused["success"] is False
        assert "input-path-keys" in refused["error"], refused

        def shown() -> bool:
            return any(
                "input-path-keys" in m.message and "lookarounds" in m.message
                for m in session.client.messages
            )

        await session.until(shown, WAIT_S)
