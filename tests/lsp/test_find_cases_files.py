"""`scriptcontract.findCasesFiles`: the cases files an editor's "test all" runs are those
`scriptcontract test` runs in the same folder, ignore files, git's index, `exclude` and
virtual environments decided alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from tests.cli.runner import scriptcontract, stage_in_git
from tests.lsp.conftest import Session

SCRIPT = 'import json\nprint(json.dumps({"success": True}))\n'
CASES = json.dumps({"cases": [{"name": "ok", "expect": {"success": True}}]}) + "\n"


def with_cases(top: Path, relative: str) -> None:
    script = top / relative
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(SCRIPT, encoding="utf-8")
    script.with_name(script.stem + ".cases.json").write_text(CASES, encoding="utf-8")


async def test_the_server_finds_the_cases_files_the_cli_runs(lsp: Session, name: str) -> None:
    top = lsp.root / Path(name).stem
    top.mkdir()
    (top / "scriptcontract.toml").write_text("")
    with_cases(top, "scripts/kept.py")
    with_cases(top, "generated/left_out.py")  # in a folder .gitignore names
    with_cases(top, "tracked/kept_as_tracked.py")  # as well, but git tracks it
    with_cases(top, "env/in_a_venv.py")
    (top / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (top / "nested" / "scriptcontract.toml").parent.mkdir()
    (top / "nested" / "scriptcontract.toml").write_text("")
    (top / "nested" / ".gitignore").write_text("skipped/\n")
    with_cases(top, "nested/skipped/left_out.py")
    with_cases(top, "nested/ok/kept.py")
    stage_in_git(top, "tracked")
    (top / ".gitignore").write_text("generated/\ntracked/\n")

    answer = await lsp.command("scriptcontract.findCasesFiles", {"uri": top.as_uri()})
    found = [Path(to_fs_path(uri) or "").relative_to(top).as_posix() for uri in answer["files"]]
    assert found == [
        "nested/ok/kept.cases.json",
        "scripts/kept.cases.json",
        "tracked/kept_as_tracked.cases.json",
    ]
    cli = scriptcontract("test", "--format", "json", cwd=top)
    assert sorted(file["path"] for file in json.loads(cli.stdout)["files"]) == found, cli.stderr


@pytest.mark.parametrize("exclude", ["vendor/**", None], ids=["excluded", "not excluded"])
async def test_the_server_passes_over_the_cases_of_scripts_check_excludes(
    lsp: Session, tmp_path: Path, exclude: str | None
) -> None:
    # Outside the shared project: a configuration below its own is used only once vouched
    # for (git at the top, or trust), and the search leaves nothing out by one that is not.
    top = tmp_path / "project"
    top.mkdir()
    # Both folders included: what leaves the vendored script out is `exclude` alone.
    included = "include = ['scripts/**/*.py', 'vendor/**/*.py']\n"
    (top / "scriptcontract.toml").write_text(
        included + ("" if exclude is None else f"exclude = ['{exclude}']\n")
    )
    with_cases(top, "scripts/kept.py")
    with_cases(top, "vendor/excluded.py")

    answer = await lsp.command("scriptcontract.findCasesFiles", {"uri": top.as_uri()})
    found = [Path(to_fs_path(uri) or "").relative_to(top).as_posix() for uri in answer["files"]]
    # The control (not excluded): the same search finds the vendored script's cases.
    assert found == ["scripts/kept.cases.json"] + ["vendor/excluded.cases.json"] * (exclude is None)
    cli = scriptcontract("test", "--format", "json", cwd=top)
    assert sorted(file["path"] for file in json.loads(cli.stdout)["files"]) == found, cli.stderr


@pytest.mark.parametrize("where", ["a file", "missing"])
async def test_a_uri_that_is_no_folder_is_refused_saying_so(
    lsp: Session, name: str, where: str
) -> None:
    path = lsp.write(name, SCRIPT) if where == "a file" else lsp.root / "no such folder"
    with pytest.raises(JsonRpcException, match="is not a folder"):
        await lsp.command("scriptcontract.findCasesFiles", {"uri": path.as_uri()})
