""" "Debug with inputs" in headless real Neovim: without nvim-dap a clear message; with a
stand-in for nvim-dap, what the plugin hands it (adapter, configuration) and the debug run
it sends drive the real debugpy adapter to a breakpoint, a variable and the run's result."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.debug.session import START_S, DebugSession, debug_run_to_result
from tests.editors.conftest import NVIM_TIMEOUT_S, RunScenario
from tests.editors.server_probe import ServerFeatures
from tests.editors.test_nvim import require
from tests.lsp.conftest import fresh_session
from tests.time_limits import GRACE_S

pytestmark = pytest.mark.timeout(NVIM_TIMEOUT_S + 4 * START_S + GRACE_S)


def test_without_nvim_dap_the_command_says_what_to_install(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.debugConfiguration")
    run = run_scenario("debug_without_dap")
    messages = [n["message"] for n in run.facts["notifications"]]
    assert len(messages) == 2, messages  # both forms of the command, nothing else
    assert all("needs nvim-dap" in message for message in messages), messages
    # Whole on one line of a common terminal: no "Press ENTER", nothing cut.
    for item in run.facts["notifications"]:
        assert item["width"] <= run.facts["echospace"], item
        assert not item["message"].endswith("…"), item
    assert "prompts" not in run.facts


async def test_what_the_plugin_hands_nvim_dap_debugs_the_script_to_its_result(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(
        server_features,
        "codeLensProvider",
        "scriptcontract.debugConfiguration",
        "scriptcontract.debugRun",
    )
    run = run_scenario("debug_code_lens")
    facts = run.facts
    assert any("Debug with inputs" in item for item in facts["offered"]), facts["offered"]
    sidecar = json.loads((run.workspace / "scripts/hello.inputs.json").read_text())
    (prompt,) = facts["prompts"]
    assert json.loads(prompt["default"]) == sidecar
    (handed,) = facts["handed"]
    adapter, configuration = handed["adapter"], handed["configuration"]
    assert adapter["type"] == "executable"
    assert (configuration["type"], configuration["request"]) == ("scriptcontract", "attach")
    assert facts["repl_lines"][0].startswith("scriptcontract: hello.py runs confined")
    debug_run = facts["debug_run"]
    assert debug_run["inputs"] == sidecar
    address = debug_run["debugger"]
    assert {"host": address["host"], "port": address["port"]} == configuration["listen"]
    # The run is given the session's tokens the adapter was started with.
    assert {address["serverToken"], address["clientToken"]} <= set(adapter["args"])
    # Ending the session cancelled the run the plugin had sent (its server is gone with Neovim).
    assert any("its debug run was cancelled" in n["message"] for n in facts["notifications"])
    # The sandbox line is whole in the REPL; its message is one line that fits.
    sandbox = [n for n in facts["notifications"] if "hello.py runs confined" in n["message"]]
    assert sandbox, facts["notifications"]
    assert all(n["width"] <= facts["echospace"] for n in facts["notifications"]), facts

    script = run.workspace / "scripts/hello.py"
    return_line = 1 + next(
        n for n, line in enumerate(script.read_text().splitlines()) if "return {" in line
    )
    async with fresh_session("neovim", [run.workspace]) as lsp:
        lsp.open("scripts/hello.py", script.read_text())
        session = await DebugSession.start([adapter["command"], *adapter["args"]], configuration)
        try:
            answer = asyncio.ensure_future(lsp.command("scriptcontract.debugRun", debug_run))
            await session.configure(script, [return_line])
            event, frame = await session.stopped()
            assert (event["reason"], frame["line"]) == ("breakpoint", return_line)
            assert await session.evaluate("name", frame) == "'Lighthouse'"
            await session.dap.request("continue", {"threadId": event["threadId"]})
            result = await asyncio.wait_for(answer, START_S)
        finally:
            await session.close()
    assert result["success"] is True, result
    assert result["output"] == {"success": True, "message": "Hello, Lighthouse!"}


async def test_debug_case_hands_nvim_dap_the_case_under_the_cursor_or_named(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.debugRun", "scriptcontract.listCases")
    run = run_scenario("debug_case")
    facts = run.facts
    assert "prompts" not in facts  # a case has its inputs: nothing is asked
    under_cursor, named = facts["debug_runs"]
    assert under_cursor["case"] == "greets with the inputs file"
    assert under_cursor["inputs"] == {"name": "Lighthouse"}  # its inputs file's
    assert (named["case"], named["inputs"]) == ("greets by name", {"name": "Ada"})
    assert facts["repl_lines"][0].startswith("scriptcontract: hello.py runs confined")

    # What the plugin handed nvim-dap for the named case drives debugpy to the case's verdict.
    handed = facts["handed"][1]
    launch = {"adapter": handed["adapter"], "configuration": handed["configuration"]}
    script = run.workspace / "scripts/hello.py"
    return_line = 1 + next(
        n for n, line in enumerate(script.read_text().splitlines()) if "return {" in line
    )

    async def at_breakpoint(session: DebugSession, frame: dict[str, Any]) -> None:
        assert await session.evaluate("name", frame) == "'Ada'"

    async with fresh_session("neovim", [run.workspace]) as lsp:
        lsp.open("scripts/hello.py", script.read_text())
        launch["run"] = named
        result = await debug_run_to_result(lsp, launch, script, return_line, at_breakpoint)
    assert result["output"] == {"success": True, "message": "Hello, Ada!"}
    assert (result["case"]["name"], result["case"]["outcome"]) == ("greets by name", "passed")


def test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway(
    run_scenario: RunScenario, server_features: ServerFeatures
) -> None:
    require(server_features, "scriptcontract.debugConfiguration", "scriptcontract.debugRun")
    run = run_scenario("debug_schema_check")
    facts = run.facts
    # What is wrong first, on the one line a message has (the whole text is in :LspLog).
    assert facts["refusal"].startswith(
        "scriptcontract: cannot debug hello.py: name: expected a value (required), got nothing "
        "(against "
    ), facts["refusal"]
    assert facts["declined"] == ["Debug anyway", "Do not debug"]
    # The control: declined, no session; then "Debug anyway" hands one to nvim-dap, whose run
    # is of the refused inputs, unchecked.
    assert facts["handed_when_declined"] == 0
    assert facts["offered_anyway"] == ["Debug anyway"]  # (the harness stops at its choice)
    assert facts["handed"] == 1
    assert facts["debug_run"]["inputs"] == {"nam": 3}
    assert facts["debug_run"]["schemaCheck"] is False
