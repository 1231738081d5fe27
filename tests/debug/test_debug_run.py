"""A debug run in the executor, driven over DAP through a real debugpy adapter: it stops at
a breakpoint, the inputs are what stdin gave, and the run ends with the same result a run
has; confined as a run is, with no network right added for the debugger."""

from __future__ import annotations

import asyncio
import sys

import pytest

from scriptcontract.executor import PythonExecutor
from scriptcontract.executor.debugger import Debugger, adapter_command
from scriptcontract.executor.policy import SandboxPolicy
from tests.conftest import Project
from tests.debug.session import START_S, DebugSession

pytestmark = pytest.mark.timeout(4 * START_S)

GREET = """
import json
import socket
import sys

inputs = json.load(sys.stdin)
name = inputs["name"]
try:
    socket.socket()
    network = "allowed"
except OSError:
    network = "denied"
print(json.dumps({"hello": name, "network": network}))
"""
NAME_LINE = 7  # `name = inputs["name"]`


async def test_stops_at_a_breakpoint_with_the_inputs_and_ends_with_the_run_result(
    project: Project,
) -> None:
    script = project.write("scripts/greet.py", GREET)
    executor = PythonExecutor(
        project.root, python_path=sys.executable, sandbox=SandboxPolicy(network=False)
    )
    debugger = Debugger.new()
    configuration = {"listen": {"host": debugger.host, "port": debugger.port}}
    session = await DebugSession.start(adapter_command(sys.executable, debugger), configuration)
    try:
        run = asyncio.ensure_future(
            executor.execute_script(script, {"name": "Ada"}, debugger=debugger)
        )
        await session.configure(script, [NAME_LINE])
        event, frame = await session.stopped()
        assert event["reason"] == "breakpoint"
        assert (frame["source"]["path"], frame["line"]) == (str(script), NAME_LINE)
        assert await session.evaluate("inputs", frame) == "{'name': 'Ada'}"
        seen = len(session.dap.events)
        await session.dap.request("next", {"threadId": event["threadId"]})
        event, frame = await session.stopped(after=seen)
        assert (event["reason"], frame["line"]) == ("step", NAME_LINE + 1)
        assert await session.evaluate("name", frame) == "'Ada'"
        await session.dap.request("continue", {"threadId": event["threadId"]})
        result = await asyncio.wait_for(run, START_S)
    finally:
        await session.close()
    assert result.success, result
    # Confined as a run: the debugger's connection was handed in, no socket may be made.
    assert result.output == {"hello": "Ada", "network": "denied"}
    assert {"filesystem", "network"} <= set(result.sandbox.enforced), result.sandbox
    assert result.stderr == ""
    assert result.mode == "cold"


async def test_an_uncaught_exception_stops_where_it_was_raised(project: Project) -> None:
    script = project.write(
        "scripts/fails.py",
        """
        import json, sys
        inputs = json.load(sys.stdin)
        def divide(n):
            return 10 / n
        print(json.dumps({"result": divide(inputs["n"])}))
        """,
    )
    executor = PythonExecutor(project.root, python_path=sys.executable)
    debugger = Debugger.new()
    session = await DebugSession.start(
        adapter_command(sys.executable, debugger),
        {"listen": {"host": debugger.host, "port": debugger.port}},
    )
    try:
        run = asyncio.ensure_future(executor.execute_script(script, {"n": 0}, debugger=debugger))
        await session.configure(script, [], uncaught=True)
        event, frame = await session.stopped()
        assert event["reason"] == "exception"
        assert frame["line"] == 4, frame  # `return 10 / n`
        assert await session.evaluate("n", frame) == "0"
        await session.dap.request("continue", {"threadId": event["threadId"]})
        result = await asyncio.wait_for(run, START_S)
    finally:
        await session.close()
    # The same failure a run reports, with the traceback on stderr.
    assert not result.success
    assert result.exit_code == 1
    assert "ZeroDivisionError" in result.stderr


async def test_a_debugger_elsewhere_than_this_machine_is_refused(project: Project) -> None:
    script = project.write("scripts/s.py", "print('{}')\n")
    executor = PythonExecutor(project.root, python_path=sys.executable)
    result = await executor.execute_script(
        script, {}, debugger=Debugger("192.0.2.1", 5678, "s" * 64, "c" * 64)
    )
    assert not result.success
    assert result.error_kind == "setup"
    assert result.error is not None and "loopback" in result.error, result.error
