""" "Debug case": a debug session of a script with one recorded case's inputs, through the
language server and a real debugpy adapter; the debug run answers the case's verdict and
leaves it (and the run's outcome) on the lenses. And the session's first line when the
script cannot be confined."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from tests.debug.session import START_S, DebugSession, debug_run_to_result
from tests.lsp.conftest import fresh_session, make_project
from tests.lsp.test_hover_and_lens import lenses
from tests.lsp.test_trust import TRUST, _answer_requests, _message, trust_state

pytestmark = pytest.mark.timeout(4 * START_S)
__all__ = ["trust_state"]  # the fixture, used by name

GREET = """import json
import sys

inputs = json.load(sys.stdin)
greeting = "Hello, " + inputs["name"]
print(json.dumps({"success": True, "message": greeting}))
"""
GREETING_LINE = 5
CASES = {
    "cases": [
        {
            "name": "greets Ada",
            "inputs": {"name": "Ada"},
            "expect": {"output": {"success": True, "message": "Hello, Ada"}},
        },
        {
            "name": "greets with the inputs file, wrongly",
            "inputs_file": "greet.inputs.json",
            "expect": {"output": {"success": True, "message": "Hello, Bob"}},
        },
    ]
}


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    (root / "scripts/greet.py").write_text(GREET)
    (root / "scripts/greet.inputs.json").write_text('{"name": "Grace"}')
    (root / "scripts/greet.cases.json").write_text(json.dumps(CASES, indent=2) + "\n")
    return root


async def test_a_case_is_debugged_with_its_inputs_on_stdin_and_ends_with_its_verdict(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    script = root / "scripts/greet.py"
    case = "greets with the inputs file, wrongly"
    async with fresh_session("vscode", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        cases_uri = lsp.open("scripts/greet.cases.json", language_id="json")
        # An earlier run that failed: its outcome is on the run lens until the debug run ends.
        failed = await lsp.command("scriptcontract.runNow", {"uri": uri, "inputs": {}})
        assert failed["success"] is False
        before = (await lenses(lsp, uri))[0].command
        assert before is not None and before.title.startswith("▶ Run with inputs · ✗"), before
        config = await lsp.command(
            "scriptcontract.debugConfiguration", {"uri": cases_uri, "case": case}
        )
        assert config["program"] == str(script)
        assert config["inputs"] == {"name": "Grace"}  # the case's inputs file
        assert config["inputsSource"].startswith(f'case "{case}" of ')
        assert config["case"] == {"name": case, "casesUri": cases_uri}
        assert config["run"]["case"] == case and config["run"]["uri"] == uri

        async def at_breakpoint(session: DebugSession, frame: dict[str, Any]) -> None:
            # What the script read from stdin is the case's inputs.
            assert await session.evaluate("inputs", frame) == "{'name': 'Grace'}"
            # Meanwhile the run lens does not show the earlier run's outcome as this one's.
            during = (await lenses(lsp, uri))[0].command
            assert during is not None and during.title == "▶ Run with inputs", during

        result = await debug_run_to_result(lsp, config, script, GREETING_LINE, at_breakpoint)
        assert result["success"] is True, result
        assert result["output"] == {"success": True, "message": "Hello, Grace"}
        verdict = result["case"]
        assert (verdict["name"], verdict["outcome"]) == (case, "failed")
        assert verdict["message"] == "output differs"
        assert verdict["differences"][0]["message"].startswith("output.message: expected")
        # The lenses show this run: the case's verdict, and the script's run outcome.
        titles = [lens.command.title for lens in await lenses(lsp, cases_uri) if lens.command]
        assert "▶ Run case · ✗ output differs" in titles, titles
        run_title = (await lenses(lsp, uri))[0].command
        assert run_title is not None and run_title.title.startswith("▶ Run with inputs · ✓")


async def test_a_case_that_is_not_in_the_file_is_not_debugged_and_the_error_says_so(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    async with fresh_session("neovim", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        with pytest.raises(JsonRpcException, match=r"Not debugged: No case of greet\.cases\.json"):
            await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "case": "nope"})
        # The positive control: a case that is there, named from the script.
        config = await lsp.command("scriptcontract.debug", {"uri": uri, "case": "greets Ada"})
        assert config["inputs"] == {"name": "Ada"}
        assert config["name"] == 'Debug greet.py: case "greets Ada"'


async def test_a_script_the_trusted_configuration_leaves_unconfined_is_said_not_confined(
    tmp_path: Path, trust_state: Path
) -> None:
    root = make_project(tmp_path / "project")
    with (root / "pyproject.toml").open("a") as config:
        config.write("\n[tool.scriptcontract.sandbox]\nenabled = false\n")
    (root / "scripts/greet.py").write_text(GREET)
    async with fresh_session("neovim", [root]) as lsp:
        asked = _answer_requests(lsp, TRUST)
        uri = lsp.open("scripts/greet.py", GREET)
        with pytest.raises(JsonRpcException, match=r"Not debugged: .*sandbox\.enabled = false"):
            await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "inputs": {}})
        assert await _message(lsp, "Trusted ")
        assert len(asked) == 1
        config = await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "inputs": {}})
    assert config["confined"] is False
    assert config["sandbox"] == (
        "scriptcontract: greet.py runs NOT confined: the project's configuration turns the "
        "sandbox off (sandbox.enabled = false)."
    )
