"""Recorded cases in the editor: the cases file checked, cases run from lenses and commands,
failures on the expectation that differs, "Accept actual output" and "Add as case"."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, fresh_session, make_project
from tests.lsp.test_code_actions import actions, edits_of
from tests.lsp.test_hover_and_lens import SHORT, answered_while, hover, lenses
from tests.lsp.test_runs import CANCEL_S, PID_THEN_SLEEP, wait_for_file, wait_gone

CASES_SOURCE = "scriptcontract-cases"
RUN_SOURCE = "scriptcontract-run"
GREET = """
import json
import sys


def greet(inputs):
    return {"success": True, "message": "Hello, " + inputs["name"] + "!"}


if __name__ == "__main__":
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps(greet(inputs)))
"""
GREET_FAILING_LINE = 5  # 0-based, as opened (without the first newline): reads inputs["name"]


def cases_text(*cases: dict[str, Any]) -> str:
    return json.dumps({"cases": list(cases)}, indent=2) + "\n"


OK = {
    "name": "greets Ada",
    "inputs": {"name": "Ada"},
    "expect": {"output": {"success": True, "message": "Hello, Ada!"}},
}
STALE = {
    "name": "greets Bo",
    "inputs": {"name": "Bo"},
    "expect": {"output": {"success": True, "message": "Hi Bo"}},
}
CRASH = {
    "name": "no name",
    "inputs": {},
    "expect": {"success": False, "output_includes": {"success": False}},
}


def script_and_cases(lsp: Session, name: str, *cases: dict[str, Any]) -> tuple[str, Path]:
    """The script (on disk and open) and its cases file (on disk only)."""
    uri = lsp.open(name, GREET)
    cases_file = lsp.write(name.replace(".py", ".cases.json"), cases_text(*cases))
    return uri, cases_file


def open_cases(lsp: Session, cases_file: Path) -> str:
    relative = cases_file.relative_to(lsp.root).as_posix()
    return lsp.open(relative, cases_file.read_text(), language_id="json")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


async def test_a_mistake_in_a_cases_file_is_a_diagnostic_on_its_key(
    lsp: Session, name: str
) -> None:
    text = cases_text({"name": "typo", "expect": {"exit_cod": 1}})
    uri = lsp.open(name.replace(".py", ".cases.json"), text, language_id="json")
    (diagnostic,) = await lsp.diagnostics(uri, source=CASES_SOURCE)
    assert diagnostic.range.start.line == line_of(text, "exit_cod")
    assert diagnostic.message.startswith('case "typo": expect.exit_cod: unknown key (known: ')
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code == "cases-file"
    # Half-typed JSON: the place it stops parsing, with the code inputs files use for it
    # (VS Code, which has its own JSON service, drops these).
    lsp.replace_all(uri, text[:-3])
    (broken,) = await lsp.diagnostics(uri, lambda found: bool(found) and found != [diagnostic])
    assert broken.code == "json-syntax" and broken.message.startswith("not valid JSON: ")
    # Fixed as typed, the diagnostic goes (and no lint diagnostic ever comes to a JSON file).
    lsp.replace_all(uri, cases_text({"name": "typo", "expect": {"exit_code": 1}}))
    assert await lsp.diagnostics(uri, lambda found: not found) == []


async def test_running_a_scripts_cases_answers_each_outcome_and_points_at_the_difference(
    lsp: Session, name: str
) -> None:
    uri, cases_file = script_and_cases(lsp, name, OK, STALE, CRASH)
    cases_uri = open_cases(lsp, cases_file)
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    outcomes = {case["name"]: case["outcome"] for case in answer["cases"]}
    assert outcomes == {"greets Ada": "passed", "greets Bo": "failed", "no name": "failed"}
    stale = next(case for case in answer["cases"] if case["name"] == "greets Bo")
    assert stale["message"] == "output differs"
    assert stale["differences"] == [
        {
            "where": "output.message",
            "kind": "changed",
            "message": 'output.message: expected "Hi Bo", got "Hello, Bo!"',
        }
    ]
    # The two sides of a diff view: as written, and as "Accept actual output" would write it.
    assert json.loads(stale["expected"]) == STALE["expect"]
    assert json.loads(stale["actual"]) == {"output": {"success": True, "message": "Hello, Bo!"}}
    crash = next(case for case in answer["cases"] if case["name"] == "no name")
    assert crash["traceback"].endswith("in greet: KeyError: 'name'")
    text = cases_file.read_text()
    found = await lsp.diagnostics(cases_uri, lambda d: len(d) == 2, source=CASES_SOURCE)
    by_line = {d.range.start.line: d.message for d in found}
    assert by_line[line_of(text, '"Hi Bo"')] == (
        'case "greets Bo": output.message: expected "Hi Bo", got "Hello, Bo!"'
    )
    # The crash is shown in the script too, at the line that failed, as a run shows it.
    in_script = await lsp.diagnostics(
        uri, lambda d: any("KeyError" in x.message for x in d), source=CASES_SOURCE
    )
    failing = [d for d in in_script if "KeyError" in d.message]
    assert failing[0].range.start.line == GREET_FAILING_LINE
    assert failing[0].message.startswith('case "no name": ')


async def test_the_lenses_run_one_case_or_all_and_show_their_outcome(
    lsp: Session, name: str
) -> None:
    uri, cases_file = script_and_cases(lsp, name, OK, STALE)
    cases_uri = open_cases(lsp, cases_file)
    found = await lenses(lsp, cases_uri)
    titles = [lens.command.title for lens in found if lens.command]
    assert titles == ["▶ Run all 2 cases", "▶ Run case", "▶ Run case"]
    text = cases_file.read_text()
    assert found[1].range.start.line == line_of(text, '"name": "greets Ada"') - 1
    one = found[2].command
    assert one is not None and one.command == "scriptcontract.runCases"
    assert list(one.arguments or []) == [{"uri": cases_uri, "names": ["greets Bo"]}]
    await lsp.command(one.command, *(one.arguments or []))
    titles = [lens.command.title for lens in await lenses(lsp, cases_uri) if lens.command]
    assert titles == ["▶ Run all 2 cases", "▶ Run case", "▶ Run case · ✗ output differs"]
    script = [lens.command for lens in await lenses(lsp, uri) if lens.command]
    run_all = next(c for c in script if c.command == "scriptcontract.runCases")
    assert run_all.title == "▶ Run 2 cases · ✗ 1 of 1 failed"
    await lsp.command(run_all.command, *(run_all.arguments or []))
    titles = [lens.command.title for lens in await lenses(lsp, cases_uri) if lens.command]
    assert titles[1].startswith("▶ Run case · ✓ ") and titles[1].endswith(" ms")


MOODS = """
import json, os, sys, time
mood = json.loads(sys.stdin.read() or "{}").get("mood")
if mood == "hang":
    time.sleep(60)
if mood == "crash":
    os._exit(3)
print(json.dumps({"success": True, "mood": mood}))
"""


async def test_a_case_that_hangs_or_crashes_fails_alone_in_the_editor(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, MOODS)
    lsp.write(
        name.replace(".py", ".cases.json"),
        cases_text(
            {"name": "hangs", "inputs": {"mood": "hang"}, "timeout_ms": 500},
            {"name": "crashes", "inputs": {"mood": "crash"}},
            {"name": "calm", "inputs": {"mood": "calm"}, "expect": {"output_includes": {}}},
        ),
    )
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    cases = {case["name"]: case for case in answer["cases"]}
    assert {n: c["outcome"] for n, c in cases.items()} == {
        "hangs": "failed",
        "crashes": "failed",
        "calm": "passed",
    }
    assert cases["hangs"]["message"] == "Script execution timed out after 500ms"
    assert cases["hangs"]["durationMs"] < 10_000  # killed at its timeout, not at the script's end
    assert "code 3" in cases["crashes"]["message"]


async def test_cancelling_a_cases_run_kills_its_runs(lsp: Session, name: str) -> None:
    """What the Test Explorer's stop button sends: the request's cancel."""
    lsp.open(name, PID_THEN_SLEEP)
    pid_file = lsp.root / name.replace(".py", ".pid")
    case = {"name": "sleeps", "inputs": {"pid_file": str(pid_file)}, "timeout_ms": 25_000}
    lsp.write(name.replace(".py", ".cases.json"), cases_text(case))
    request_id = f"cases-{name}"
    request = asyncio.ensure_future(
        lsp.client.protocol.send_request_async(  # type: ignore[no-untyped-call]
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(
                command="scriptcontract.runCases", arguments=[{"uri": lsp.uri(name)}]
            ),
            msg_id=request_id,
        )
    )
    pid = int(await wait_for_file(pid_file))
    lsp.client.cancel_request(types.CancelParams(id=request_id))
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(request, timeout=CANCEL_S)
    assert await wait_gone(pid), "the case's script survived the cancel"


async def test_accept_actual_output_rewrites_the_failing_expectation(
    lsp: Session, name: str
) -> None:
    _, cases_file = script_and_cases(lsp, name, OK, STALE)
    cases_uri = open_cases(lsp, cases_file)
    await lsp.command("scriptcontract.runCases", {"uri": cases_uri})
    text = cases_file.read_text()
    diagnostics = await lsp.diagnostics(cases_uri, source=CASES_SOURCE)
    found = await actions(lsp, cases_uri, diagnostics, line=diagnostics[0].range.start.line)
    titles = [action.title for action in found]
    assert 'Accept actual output of case "greets Bo"' in titles
    assert not any("greets Ada" in title for title in titles)  # it passed
    action = next(a for a in found if a.title == 'Accept actual output of case "greets Bo"')
    assert isinstance(action, types.CodeAction)
    (edit,) = edits_of(action, cases_uri)
    assert edit.new_text == '"Hello, Bo!"'
    assert edit.range.start.line == line_of(text, '"Hi Bo"')
    # Applied, the case passes.
    lsp.replace_all(cases_uri, text.replace('"Hi Bo"', '"Hello, Bo!"'))
    answer = await lsp.command(
        "scriptcontract.runCases", {"uri": cases_uri, "names": ["greets Bo"]}
    )
    assert [case["outcome"] for case in answer["cases"]] == ["passed"]


async def test_a_run_with_inputs_becomes_a_case(lsp: Session, name: str) -> None:
    uri = lsp.open(name, GREET)
    cases_file = lsp.root / name.replace(".py", ".cases.json")
    await lsp.command("scriptcontract.runNow", {"uri": uri, "inputs": {"name": "Cy"}})
    offered = [lens.command for lens in await lenses(lsp, uri) if lens.command]
    add = next(c for c in offered if c.command == "scriptcontract.addCase")
    assert add.title == "+ Add as case"
    answer = await lsp.command(add.command, *(add.arguments or []))
    assert answer["created"] is True and answer["name"] == '{"name": "Cy"}'
    # A lens drops the command's answer: the user is told.
    added = f'Added a case to {cases_file.name}: {{"name": "Cy"}}'
    await lsp.until(lambda: any(m.message == added for m in lsp.client.messages))
    # Added once: the lens goes until the next run.
    after = [lens.command.title for lens in await lenses(lsp, uri) if lens.command]
    assert "+ Add as case" not in after and any("Run with inputs" in t for t in after)
    assert json.loads(cases_file.read_text())["cases"] == [
        {
            "name": '{"name": "Cy"}',
            "inputs": {"name": "Cy"},
            "expect": {"success": True, "output": {"success": True, "message": "Hello, Cy!"}},
        }
    ]
    await lsp.command("scriptcontract.runNow", {"uri": uri, "inputs": {"name": "Di"}})
    again = await lsp.command("scriptcontract.addCase", {"uri": uri, "name": "greets Di"})
    assert again["created"] is False
    listed = await lsp.command("scriptcontract.listCases", {"uri": uri})
    assert [case["name"] for case in listed["cases"]] == ['{"name": "Cy"}', "greets Di"]
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    assert [case["outcome"] for case in answer["cases"]] == ["passed", "passed"]


async def test_the_scripts_actions_add_its_last_run_as_a_case_and_run_its_cases(
    lsp: Session, name: str
) -> None:
    uri, cases_file = script_and_cases(lsp, name, OK)
    before = [action.title for action in await actions(lsp, uri, [])]
    assert "Run 1 case" in before and "Add last run as case" not in before
    await lsp.command("scriptcontract.runNow", {"uri": uri, "inputs": {"name": "Ed"}})
    found = await actions(lsp, uri, [])
    add = next(action for action in found if action.title == "Add last run as case")
    assert isinstance(add, types.CodeAction) and add.command is not None
    answer = await lsp.command(add.command.command, *(add.command.arguments or []))
    assert answer["created"] is False  # appended to the file the script already had
    written = json.loads(cases_file.read_text())["cases"]
    assert [case["inputs"] for case in written] == [{"name": "Ada"}, {"name": "Ed"}]
    run = next(a for a in await actions(lsp, uri, []) if a.title == "Run 2 cases")
    assert isinstance(run, types.CodeAction) and run.command is not None
    ran = await lsp.command(run.command.command, *(run.command.arguments or []))
    assert [case["outcome"] for case in ran["cases"]] == ["passed", "passed"]


async def test_an_empty_cases_file_is_not_offered_the_script_template(
    lsp: Session, name: str
) -> None:
    blank_script = lsp.open(name, "")
    assert "Insert workflow script template" in [
        a.title for a in await actions(lsp, blank_script, [])
    ]
    blank_cases = lsp.open(name.replace(".py", ".cases.json"), "", language_id="json")
    assert not [a.title for a in await actions(lsp, blank_cases, []) if "template" in a.title]


async def test_add_as_case_needs_a_run_first(lsp: Session, name: str) -> None:
    uri = lsp.open(name, GREET)
    try:
        await lsp.command("scriptcontract.addCase", {"uri": uri})
    except JsonRpcException as exc:
        assert "run the script with inputs first" in str(exc)
    else:
        raise AssertionError("addCase without a run was accepted")


async def test_a_script_without_cases_says_how_to_add_one(lsp: Session, name: str) -> None:
    uri = lsp.open(name, GREET)
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    assert answer["cases"] == []
    script = name.rsplit("/", 1)[-1]
    assert answer["error"] == (
        f"{script} has no cases: {script.replace('.py', '.cases.json')} does not exist; "
        'run it with inputs, then "Add as case"'
    )


async def test_a_script_with_unsaved_changes_or_a_broken_cases_file_runs_nothing(
    lsp: Session, name: str
) -> None:
    uri, cases_file = script_and_cases(lsp, name, OK)
    lsp.replace_all(uri, GREET + "\n# edited\n")
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    assert answer["cases"] == [] and "unsaved changes" in answer["error"]
    cases_file.write_text('{"cases": [{"name": 1}]}')
    answer = await lsp.command("scriptcontract.runCases", {"uri": str(cases_file.as_uri())})
    assert answer["cases"] == []
    assert "name: expected a string (got 1)" in answer["error"]


async def test_a_configuration_with_errors_runs_no_case(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "scriptcontract.toml").write_text("[sandbox]\nnework = false\n")
    async with fresh_session("neovim", [root]) as session:
        uri, _ = script_and_cases(session, "scripts/greet.py", OK)
        answer = await session.command("scriptcontract.runCases", {"uri": uri})
        assert answer["cases"] == []
        assert "configuration has errors" in answer["error"] and "nework" in answer["error"]
        await session.until(lambda: any("nework" in m.message for m in session.client.messages))


# A run can leave megabytes in the cases file beside a script (its own, or the user's): the
# script's lenses and code actions, asked at every edit and move of the cursor, parsed the
# whole file on the event loop each time, and the server answered nothing else for seconds
# (the eleventh red team).
BIG_CASE = {**OK, "inputs": {"name": "Ada", "padding": [1] * 200_000}}


@pytest.mark.parametrize("request_kind", ["lenses", "actions"])
async def test_other_requests_are_answered_while_a_scripts_big_cases_file_is_read(
    lsp: Session, name: str, request_kind: str
) -> None:
    # Named after the request: the server keeps a text's parse, and the session is shared.
    uri, _cases_file = script_and_cases(lsp, name, {**BIG_CASE, "name": request_kind})
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)

    async def asked() -> list[str]:
        if request_kind == "lenses":
            return [lens.command.title for lens in await lenses(lsp, uri) if lens.command]
        return [action.title for action in await actions(lsp, uri, [])]

    big = asyncio.ensure_future(asked())
    await answered_while(lsp, other, big)
    # The positive control: the script's request counts the case, so the file was read.
    assert any(title.startswith("▶ Run 1 case") or title == "Run 1 case" for title in await big)


# The rest of what read a cases file on the event loop (the twelfth red team): its check as
# it is opened and at each edit, listing its cases (which VS Code asks whenever the file
# changes on disk, as when a run writes it), and "Accept actual output", asked at each move
# of the cursor in it once its cases have run. Each is answered off the loop.
def _big(name: str, **case: Any) -> str:
    return cases_text({**BIG_CASE, "name": name, **case})


def _mistake_shown(lsp: Session, uri: str) -> bool:
    return any("exit_cod" in d.message for d in lsp.current(uri) or [])


@pytest.mark.parametrize("trigger", ["opened", "edited"])
async def test_other_requests_are_answered_while_a_big_cases_file_is_checked(
    lsp: Session, name: str, trigger: str
) -> None:
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)
    relative = name.replace(".py", f"_{trigger}.cases.json")
    big = _big(trigger, expect={"exit_cod": 1})
    if trigger == "opened":
        uri = lsp.open(relative, big, language_id="json")
    else:
        uri = lsp.open(relative, cases_text(OK), language_id="json")
        lsp.replace_all(uri, big)
    pull = asyncio.ensure_future(lsp.pull(uri)) if lsp.pulls else None
    await asyncio.sleep(0)
    assert await hover(lsp, other, 1, 6) is None
    # Not yet checked when the hover was answered (a pull waits for the check).
    assert not (pull.done() if pull is not None else _mistake_shown(lsp, uri))
    # The positive control: the check did read the big file, and found its mistake.
    (found,) = await lsp.diagnostics(uri, source=CASES_SOURCE)
    assert "exit_cod" in found.message
    if pull is not None:
        await pull


async def test_other_requests_are_answered_while_a_big_cases_file_is_listed(
    lsp: Session, name: str
) -> None:
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)
    cases_file = lsp.write(name.replace(".py", "_listed.cases.json"), _big("listed"))
    listed = asyncio.ensure_future(
        lsp.command("scriptcontract.listCases", {"uri": cases_file.as_uri()})
    )
    await answered_while(lsp, other, listed)
    # The positive control: the listing was of the big file's case.
    assert [case["name"] for case in (await listed)["cases"]] == ["listed"]


async def test_other_requests_are_answered_while_accept_actions_read_a_big_cases_file(
    lsp: Session, name: str
) -> None:
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)
    stale = {**STALE, "inputs": {"name": "Bo", "padding": [1] * 200_000}}
    _, cases_file = script_and_cases(lsp, name, stale)
    cases_uri = open_cases(lsp, cases_file)
    await lsp.command("scriptcontract.runCases", {"uri": cases_uri})
    failed = await lsp.diagnostics(cases_uri, lambda found: len(found) == 1, source=CASES_SOURCE)
    # Another cases file checked since: the parse kept is of that one, not this one.
    evicts = lsp.open(
        name.replace(".py", "_evicts.cases.json"),
        _big("evicts", expect={"exit_cod": 1}),
        language_id="json",
    )
    await lsp.diagnostics(evicts, source=CASES_SOURCE)
    line = failed[0].range.start.line
    asked = asyncio.ensure_future(actions(lsp, cases_uri, failed, line=line))
    await answered_while(lsp, other, asked)
    # The positive control: the action is there, so the big file was read.
    assert 'Accept actual output of case "greets Bo"' in [action.title for action in await asked]
