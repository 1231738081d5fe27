"""Exploration in the editor: the command, a diagnostic at each failing line with the
smallest input, and "Save input as case" adding it to the cases file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.explore import scripts
from tests.lsp.conftest import Session, fresh_session, make_project
from tests.lsp.test_code_actions import actions

EXPLORE_SOURCE = "scriptcontract-explore"


async def test_exploring_puts_each_failure_at_its_line_and_saves_its_input_as_a_case(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, scripts.TWO_BUGS)
    cases_file = lsp.root / name.replace(".py", ".cases.json")
    answer = await lsp.command("scriptcontract.explore", {"uri": uri, "seed": 5, "maxRuns": 120})
    assert answer["seed"] == 5 and answer["runs"] <= 120
    by_type = {failure["errorType"]: failure for failure in answer["failures"]}
    assert by_type["ZeroDivisionError"]["inputs"] == {"rows": []}
    assert by_type["IndexError"]["inputs"] == {"rows": [{"id": ""}]}
    source = scripts.TWO_BUGS.lstrip("\n").splitlines()
    found = await lsp.diagnostics(uri, lambda d: len(d) == 2, source=EXPLORE_SOURCE)
    by_line = {d.range.start.line: d for d in found}
    division = scripts.line_of(scripts.TWO_BUGS, "/ len(rows)") - 1
    assert set(by_line) == {division, scripts.line_of(scripts.TWO_BUGS, "[0] for row") - 1}
    assert by_line[division].message == (
        'ZeroDivisionError: division by zero; smallest input: {"rows": []} (explored with seed 5)'
    )
    assert by_line[division].severity == types.DiagnosticSeverity.Warning
    assert by_line[division].range.end.character == len(source[division])
    # The diagnostic's action saves that input as a case of the script.
    offered = await actions(lsp, uri, [by_line[division]], line=division)
    save = next(action for action in offered if action.title == "Save input as case")
    command = save.command if isinstance(save, types.CodeAction) else save
    assert command is not None
    added = await lsp.command(command.command, *(command.arguments or []))
    assert added["name"] == f"explored: ZeroDivisionError at line {division + 1}"
    (case,) = json.loads(cases_file.read_text())["cases"]
    assert case["inputs"] == {"rows": []}
    assert case["expect"]["success"] is False
    ran = await lsp.command("scriptcontract.runCases", {"uri": uri})
    assert [case["outcome"] for case in ran["cases"]] == ["passed"]
    # An edit drops what the exploration found: its lines describe the old text.
    lsp.replace_all(uri, scripts.SAFE)
    assert await lsp.diagnostics(uri, lambda d: not d, source=EXPLORE_SOURCE) == []


async def test_exploring_a_script_that_never_fails_finds_nothing(lsp: Session, name: str) -> None:
    uri = lsp.open(name, scripts.SAFE)
    answer = await lsp.command("scriptcontract.explore", {"uri": uri, "maxRuns": 30})
    assert answer["failures"] == [] and answer["runs"] == 30
    # The round trip above published what it found: nothing from exploration.
    shown = await lsp.shown(uri)
    assert [d for d in shown if d.source == EXPLORE_SOURCE] == []


async def test_the_answer_says_why_the_exploration_stopped_in_the_clis_words(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, scripts.SAFE)
    answer = await lsp.command("scriptcontract.explore", {"uri": uri, "maxRuns": 12})
    assert (answer["stoppedBy"], answer["runs"], answer["maxRuns"]) == ("runs", 12, 12)
    assert answer["stopped"] == "stopped at the run budget of 12 runs"
    # Each run sleeps 0.4 s: the first batch is still running after 0.3 s, and is cut short.
    slow = lsp.open(name.replace(".py", "_slow.py"), scripts.SLOW)
    answer = await lsp.command("scriptcontract.explore", {"uri": slow, "maxSeconds": 0.3})
    assert (answer["stoppedBy"], answer["maxSeconds"]) == ("time", 0.3)
    assert answer["stopped"] == "stopped at the time budget of 0.3 s"
    assert answer["failures"] == []


async def test_unsaved_changes_are_not_explored(lsp: Session, name: str) -> None:
    uri = lsp.open(name, scripts.DIVIDES)
    lsp.replace_all(uri, scripts.DIVIDES + "\n# more\n")
    answer = await lsp.command("scriptcontract.explore", {"uri": uri})
    assert "has unsaved changes; save it before exploring it" in answer["error"]
    assert answer["failures"] == []


async def test_after_an_edit_saving_a_found_input_says_to_explore_again(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, scripts.DIVIDES)
    answer = await lsp.command("scriptcontract.explore", {"uri": uri, "seed": 1, "maxRuns": 40})
    assert answer["failures"]
    await lsp.diagnostics(uri, source=EXPLORE_SOURCE)
    lsp.replace_all(uri, scripts.DIVIDES + "\n")
    assert await lsp.diagnostics(uri, lambda d: not d, source=EXPLORE_SOURCE) == []
    with pytest.raises(JsonRpcException, match="explore the script again"):
        await lsp.command("scriptcontract.saveExploredCase", {"uri": uri, "failure": 0})
    assert not (lsp.root / name.replace(".py", ".cases.json")).exists()


async def test_a_wrong_budget_is_refused_saying_what_was_expected(lsp: Session, name: str) -> None:
    uri = lsp.open(name, scripts.DIVIDES)
    with pytest.raises(JsonRpcException, match=r"scriptcontract\.explore: maxRuns: "):
        await lsp.command("scriptcontract.explore", {"uri": uri, "maxRuns": 0})


async def test_a_configuration_with_errors_is_refused_naming_the_file_as_the_project_does(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    (root / "scriptcontract.toml").write_text('[executor]\ntimeout-ms = "soon"\n')
    async with fresh_session("neovim", [root]) as lsp:
        uri = lsp.open("scripts/divides.py", scripts.DIVIDES)
        answer = await lsp.command("scriptcontract.explore", {"uri": uri})
        assert answer["error"].startswith(
            "Not explored: the project's configuration has errors: "
            "scriptcontract.toml: [executor] timeout-ms"
        )
        assert str(root) not in answer["error"] and "no case was run" not in answer["error"]
        assert answer["failures"] == []
        # Said once, as the answer says it.
        shown = [m.message for m in lsp.client.messages if "Not explored" in m.message]
        assert shown == [answer["error"]]
