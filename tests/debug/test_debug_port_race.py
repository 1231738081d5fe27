"""A debug session's loopback port, raced by another run of the project (twelfth red team).

"Debug with inputs" has debugpy's adapter listen on a loopback port that the debug run's
executor then connects to. Any process of the machine may connect to, or listen on, a
loopback port: here a real run of the project, with the network on (as the seed's projects
have it), going at the same time. Each side of the session proves itself with a token of
the session's that no run is given; each attack has its control where the protection is
off (the adapter started as debugpy's own) or the attacker holds the token it lacks.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.executor import PythonExecutor
from scriptcontract.executor.debugger import Debugger, adapter_command, debugpy_package
from scriptcontract.executor.policy import SandboxPolicy
from scriptcontract.executor.result import ExecutionResult
from tests.conftest import Project
from tests.debug.session import START_S, DebugSession

pytestmark = pytest.mark.timeout(4 * START_S)

# DAP over a socket, as much of it as each attacker needs (standard library only).
WIRE = """
import json, socket, sys

def send(stream, message, seq=[0]):
    seq[0] += 1
    body = json.dumps(dict(message, seq=seq[0])).encode()
    stream.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
    stream.flush()

def receive(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if not line.strip():
            break
        name, _, value = line.decode().partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))
"""

# Connects first to the adapter's port and plays the debuggee: what does the session send?
FAKE_DEBUGGEE = (
    WIRE
    + """
port = json.load(sys.stdin)["port"]
seen = []
try:
    stream = socket.create_connection(("127.0.0.1", port), timeout=10).makefile("rwb")
    while True:
        message = receive(stream)
        if message is None:
            break
        if message.get("type") != "request":
            continue
        command = message["command"]
        seen.append(command)
        body = {}
        if command == "pydevdAuthorize":
            body = {"clientAccessToken": None}
        elif command == "pydevdSystemInfo":
            body = {"process": {"pid": 4242, "ppid": 1, "executable": sys.executable,
                                "bitness": 64},
                    "platform": {"name": "linux"},
                    "python": {"version": "3", "implementation": {"name": "cpython"}}}
        elif command == "setBreakpoints":
            seen.append(message["arguments"]["source"]["path"])
        send(stream, {"type": "response", "request_seq": message["seq"], "success": True,
                      "command": command, "body": body})
        if command == "initialize":
            send(stream, {"type": "event", "event": "initialized"})
        if command == "configurationDone":
            break
except OSError as exc:
    seen.append(type(exc).__name__)
print(json.dumps({"seen": seen}))
"""
)

# Listens first on the port the debug run connects to and plays the adapter: can it read
# the run's inputs?
FAKE_ADAPTER = (
    WIRE
    + """
given = json.load(sys.stdin)
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", given["port"]))
listener.listen(1)
listener.settimeout(15)
stream = listener.accept()[0].makefile("rwb")
answers = {}

def ask(command, arguments=None):
    send(stream, {"type": "request", "command": command, "arguments": arguments or {}})
    while True:
        message = receive(stream)
        if message is None:
            raise EOFError(command)
        if message.get("type") == "response":
            answers[command] = message.get("success")
            return message.get("body") or {}
        if message.get("event") == "stopped":
            answers["stopped"] = message["body"]

if given["token"]:  # without one, asking would only make pydevd refuse the rest
    ask("pydevdAuthorize", {"debugServerAccessToken": given["token"]})
ask("initialize", {"adapterID": "debugpy", "pathFormat": "path"})
ask("attach", {"justMyCode": True})
ask("setBreakpoints", {"source": {"path": given["script"]}, "breakpoints": [{"line": 3}]})
ask("configurationDone")
inputs = None
if answers.get("configurationDone"):
    while "stopped" not in answers:
        message = receive(stream)
        if message and message.get("event") == "stopped":
            answers["stopped"] = message["body"]
    trace = ask("stackTrace", {"threadId": answers["stopped"]["threadId"]})
    frame = trace["stackFrames"][0]["id"]
    inputs = ask("evaluate", {"expression": "inputs", "frameId": frame, "context": "repl"})
    inputs = inputs.get("result")
print(json.dumps({"answers": answers, "inputs": inputs}))
"""
)

SECRET = """import json, sys
inputs = json.load(sys.stdin)
print(json.dumps({"ok": len(inputs)}))
"""


def _attacker(project: Project) -> PythonExecutor:
    return PythonExecutor(
        project.root, python_path=sys.executable, sandbox=SandboxPolicy(network=True)
    )


def _scripts(project: Project, attack: str) -> tuple[Path, Path]:
    """The attacker's script and the one the user debugs, in the same project."""
    return project.write("scripts/attack.py", attack), project.write("scripts/secret.py", SECRET)


def _output(result: ExecutionResult) -> dict[str, Any]:
    assert result.success, result
    assert isinstance(result.output, dict), result
    return result.output


@pytest.mark.parametrize("protected", [True, False], ids=["token-checked", "control-stock-adapter"])
async def test_a_run_connecting_first_to_the_adapter_is_not_taken_for_the_debuggee(
    project: Project, protected: bool
) -> None:
    attack, script = _scripts(project, FAKE_DEBUGGEE)
    debugger = Debugger.new()
    # The control: the adapter as debugpy starts it, which takes the first connection.
    stock = [sys.executable, str(debugpy_package() / "adapter")]
    adapter = adapter_command(sys.executable, debugger) if protected else stock
    listen = {"listen": {"host": debugger.host, "port": debugger.port}}
    session = await DebugSession.start(adapter, listen)
    try:
        attacker = asyncio.ensure_future(
            _attacker(project).execute_script(attack, {"port": debugger.port})
        )
        if not protected:
            await session.configure(script, [2])
            seen = _output(await asyncio.wait_for(attacker, START_S))["seen"]
            # Taken: the session's breakpoints went to the run, and it played the debuggee.
            assert "setBreakpoints" in seen and str(script) in seen, seen
            return
        seen = _output(await asyncio.wait_for(attacker, START_S))["seen"]
        # Asked for the token, then turned away: nothing of the session reached it.
        assert seen == ["pydevdAuthorize"], seen
        # The session is still there for the debug run, which stops with its own inputs.
        run = asyncio.ensure_future(
            PythonExecutor(project.root, python_path=sys.executable).execute_script(
                script, {"token": "s3cret"}, debugger=debugger
            )
        )
        await session.configure(script, [3])
        event, frame = await session.stopped()
        assert await session.evaluate("inputs", frame) == "{'token': 's3cret'}"
        await session.dap.request("continue", {"threadId": event["threadId"]})
        assert (await asyncio.wait_for(run, START_S)).output == {"ok": 1}
    finally:
        await session.close()


@pytest.mark.parametrize("token", ["none", "control-the-sessions"])
async def test_a_run_listening_first_on_the_debug_port_cannot_read_the_debug_runs_inputs(
    project: Project, token: str
) -> None:
    attack, script = _scripts(project, FAKE_ADAPTER)
    debugger = Debugger.new()
    # The control: an attacker holding the session's server token (what only the adapter
    # the editor started is given) reads the inputs.
    presented = debugger.server_token if token == "control-the-sessions" else None
    given = {"port": debugger.port, "script": str(script), "token": presented}
    attacker = asyncio.ensure_future(_attacker(project).execute_script(attack, given))
    # The editor's adapter is slow to start: the debug run retries its connection meanwhile.
    run = asyncio.ensure_future(
        PythonExecutor(project.root, python_path=sys.executable).execute_script(
            script, {"token": "s3cret"}, debugger=debugger
        )
    )
    try:
        seen = _output(await asyncio.wait_for(attacker, START_S))
    finally:
        run.cancel()
        await asyncio.gather(run, return_exceptions=True)
    if token == "control-the-sessions":
        assert seen["inputs"] == "{'token': 's3cret'}", seen
    else:
        # Every request refused, the breakpoint never reached: the run waits for its adapter.
        assert seen == {"answers": dict.fromkeys(json.loads(ORDER), False), "inputs": None}


ORDER = '["initialize", "attach", "setBreakpoints", "configurationDone"]'


SILENT = """import json, socket, sys, time
connection = socket.create_connection(("127.0.0.1", json.load(sys.stdin)["port"]))
time.sleep(20)  # says nothing, holds the connection
print("{}")
"""


def _connected_to(port: int) -> bool:
    """Whether a TCP connection to `port` on loopback is established (this network's)."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return any(int(row[2].split(":")[1], 16) == port and row[3] == "01" for row in rows)


async def test_a_run_holding_a_silent_connection_to_the_adapter_delays_the_session_seconds(
    project: Project,
) -> None:
    """The adapter accepts one connection at a time: a run that connects and says nothing
    kept the debug run from being accepted for as long as it held on (without timeout)."""
    attack, script = _scripts(project, SILENT)
    debugger = Debugger.new()
    listen = {"listen": {"host": debugger.host, "port": debugger.port}}
    session = await DebugSession.start(adapter_command(sys.executable, debugger), listen)
    loop = asyncio.get_running_loop()
    attacker = asyncio.ensure_future(
        _attacker(project).execute_script(attack, {"port": debugger.port})
    )
    try:
        deadline = loop.time() + START_S
        while not _connected_to(debugger.port):
            assert loop.time() < deadline and not attacker.done(), "the attacker never connected"
            await asyncio.sleep(0.02)
        started = loop.time()
        run = asyncio.ensure_future(
            PythonExecutor(project.root, python_path=sys.executable).execute_script(
                script, {"token": "s3cret"}, debugger=debugger
            )
        )
        await session.configure(script, [3])
        waited = loop.time() - started
        event, _frame = await session.stopped()
        await session.dap.request("continue", {"threadId": event["threadId"]})
        assert (await asyncio.wait_for(run, START_S)).output == {"ok": 1}
    finally:
        attacker.cancel()
        await asyncio.gather(attacker, return_exceptions=True)
        await session.close()
    # The control: the silent connection was first and held the session back; it was given
    # up after the adapter's few seconds, well before the attacker let go (20 s).
    assert 3.0 < waited < 15.0, waited


@pytest.mark.parametrize("has_the_check", [False, True], ids=["refused", "control-runs"])
def test_a_debugpy_whose_adapter_has_no_check_to_replace_is_refused(
    tmp_path: Path, has_the_check: bool
) -> None:
    """The adapter's check of a connection is debugpy's own method, replaced: a debugpy
    without it would take any debuggee, so the adapter does not start."""
    adapter = tmp_path / "debugpy" / "adapter"
    adapter.mkdir(parents=True)
    (tmp_path / "debugpy" / "__init__.py").write_text("")
    (adapter / "__init__.py").write_text("")
    (adapter / "clients.py").write_text("")
    (adapter / "sessions.py").write_text("")
    method = "    def authenticate(self):\n        pass\n" if has_the_check else "    pass\n"
    (adapter / "servers.py").write_text("class Connection:\n" + method)
    (adapter / "__main__.py").write_text("def main():\n    print('adapter started')\n")
    command = adapter_command(sys.executable, Debugger.new())
    command[command.index("--debugpy") + 1] = str(tmp_path / "debugpy")
    done = subprocess.run(command, capture_output=True, text=True, timeout=START_S, check=False)
    if has_the_check:
        assert (done.returncode, done.stdout) == (0, "adapter started\n"), done
    else:
        assert done.returncode == 1 and done.stdout == "", done
        assert "no check of the debuggee to replace" in done.stderr
