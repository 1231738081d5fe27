""" "Debug with inputs" through the language server: the launch configuration it answers
drives a real debugpy adapter, and `debugRun` ends with the result a run has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from tests.debug.session import START_S, DebugSession, debug_run_to_result
from tests.lsp.conftest import fresh_session, make_project

pytestmark = pytest.mark.timeout(4 * START_S)

GREET = """import json
import sys

inputs = json.load(sys.stdin)
greeting = "Hello, " + inputs["name"]
print(json.dumps({"success": True, "message": greeting}))
"""
GREETING_LINE = 5


async def test_the_configuration_drives_a_real_debugpy_session_to_the_run_result(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    script = root / "scripts/greet.py"
    script.write_text(GREET)
    (root / "scripts/greet.inputs.json").write_text('{"name": "Ada"}')
    async with fresh_session("vscode", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        config = await lsp.command("scriptcontract.debugConfiguration", {"uri": uri})
        assert config["program"] == str(script)
        assert config["cwd"] == str(root)
        assert config["inputs"] == {"name": "Ada"}
        assert config["inputsSource"] == str(root / "scripts/greet.inputs.json")
        assert config["confined"] is True
        assert config["sandbox"].startswith("scriptcontract: greet.py runs confined")
        assert config["configuration"]["request"] == "attach"

        async def at_breakpoint(session: DebugSession, frame: dict[str, Any]) -> None:
            assert await session.evaluate("inputs['name']", frame) == "'Ada'"

        result = await debug_run_to_result(lsp, config, script, GREETING_LINE, at_breakpoint)
        assert result["success"] is True, result
        assert result["output"] == {"success": True, "message": "Hello, Ada"}
        assert result["exit_code"] == 0 and result["stderr"] == ""
        assert "filesystem" in result["sandbox"]["enforced"]


async def test_a_script_with_unsaved_changes_is_not_debugged_and_the_error_says_so(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    (root / "scripts/greet.py").write_text(GREET)
    async with fresh_session("vscode", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET + "# edited\n", on_disk=False)
        with pytest.raises(JsonRpcException, match="unsaved changes; save it before debugging"):
            await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "inputs": {}})
        # The positive control: saved, the same request answers.
        lsp.replace_all(uri, GREET)
        config = await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "inputs": {}})
        assert config["inputs"] == {}


async def test_the_lens_command_sent_to_the_server_answers_the_configuration_and_says_why(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    (root / "scripts/greet.py").write_text(GREET)
    async with fresh_session("emacs", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        config = await lsp.command("scriptcontract.debug", {"uri": uri})
        assert config["program"] == str(root / "scripts/greet.py")
        assert config["inputs"] == {"name": ""}  # the template inferred from the script
        await lsp.until(
            lambda: any("starts no debug session" in m.message for m in lsp.client.messages)
        )


async def test_without_debugpy_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plain module named debugpy first on the server's path: no debugpy package there.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "debugpy.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(shadow))
    root = make_project(tmp_path / "project")
    (root / "scripts/greet.py").write_text(GREET)
    async with fresh_session("vscode", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        with pytest.raises(JsonRpcException, match=r"pip install 'scriptcontract\[debug\]'"):
            await lsp.command("scriptcontract.debugConfiguration", {"uri": uri})


async def test_inputs_the_declared_schema_refuses_are_refused_before_a_session_starts(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    (root / "scripts/greet.py").write_text(GREET)
    schema = '{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}'
    (root / "scripts/greet.schema.json").write_text(schema)
    async with fresh_session("vscode", [root]) as lsp:
        uri = lsp.open("scripts/greet.py", GREET)
        # Refused by the configuration request: no session waits for a run that never comes.
        with pytest.raises(JsonRpcException) as refused:
            await lsp.command("scriptcontract.debugConfiguration", {"uri": uri, "inputs": {}})
        assert "Not debugged: the inputs do not match the declared schema" in str(refused.value)
        assert "name: expected a value (required), got nothing" in str(refused.value)
        # The control: inputs it accepts are debugged, and their run is not checked again.
        config = await lsp.command(
            "scriptcontract.debugConfiguration", {"uri": uri, "inputs": {"name": "Ada"}}
        )
        assert config["run"]["schemaCheck"] is False and config["inputs"] == {"name": "Ada"}
