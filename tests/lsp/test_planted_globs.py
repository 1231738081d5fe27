"""An `exclude` glob planted by a run (`scripts/scriptcontract.toml`) and a script name the
run chose, through the real server: translated to `re`, the glob backtracked for good on
the name when the editor opened the script, and held the analysis. (The server reads no
ignore files: those are `check`'s, tested in tests/cli/test_planted_globs.py.)"""

from __future__ import annotations

from pathlib import Path

from scriptcontract.contract.globs import glob_to_regex
from tests.backtracking import re_is_held
from tests.cli.test_check_options import FIXABLE
from tests.lsp.conftest import fresh_session, make_project, vouch

GLOB = "**a" * 6 + "b.py"
LONG = "a" * 200


async def test_a_planted_glob_cannot_hold_the_analysis(tmp_path: Path, trust_record: Path) -> None:
    held = f"{LONG}.py"
    assert re_is_held(glob_to_regex(GLOB), held)  # the control: `re` is held by this pair
    root = make_project(tmp_path / "project")
    (root / "scripts/scriptcontract.toml").write_text(
        f"include = ['*.py']\nexclude = [{GLOB!r}]\n", encoding="utf-8"
    )
    vouch(root / "scripts/scriptcontract.toml")  # even one the server uses cannot hold it
    async with fresh_session("neovim", [root]) as session:
        uri = session.open(f"scripts/{held}", FIXABLE)
        assert await session.diagnostics(uri, lambda found: bool(found))
        # The glob is honoured: a name it matches is no workflow script, nothing is shown.
        excluded = session.open(f"scripts/{LONG}b.py", FIXABLE)
        await session.round_trip()
        assert not await session.shown(excluded)
