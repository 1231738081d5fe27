"""Debug runs: the connection to the debug adapter, opened before the run is confined.

A debug run is a run (same inputs, working directory, environment, `sys.path`, sandbox)
with debugpy in the script's process. debugpy's adapter listens on a loopback port (its
`attach` request with `listen`); the executor connects to it *before* the run starts and
passes the connected socket in, so the confined process uses a connection it was given
and gets no network right of its own: with `network = false` it still cannot make a
socket. Debug runs are cold (a warm runner's children cannot be handed a descriptor) and
have no timeout of their own: a script stopped at a breakpoint must not be killed; the
editor ends the run by cancelling it.

The debugpy both sides use is the one installed with scriptcontract (the `debug` extra):
the adapter runs from it, and the script imports it from there (its folder is added to
what the run may read), so the script's own environment needs nothing installed, and the
two sides are always the same version.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scriptcontract.executor.sandbox import BOOTSTRAP, NO_DEBUGGER_EXIT_CODE

if TYPE_CHECKING:
    from scriptcontract.executor.policy import SandboxPolicy
    from scriptcontract.executor.result import ExecutionResult

# A day: "no timeout", within what RLIMIT_CPU and the executor's arithmetic take.
DEBUG_TIMEOUT_MS = 24 * 60 * 60 * 1000
CONNECT_TIMEOUT_S = 10.0
LOOPBACK = "127.0.0.1"
# The debug type both editors name the adapter by (VS Code's contribution, nvim-dap's key).
DEBUG_TYPE = "scriptcontract"
ADAPTER = Path(__file__).resolve().parent / "debug_adapter"
_NO_DEBUGGER_PREFIX = "scriptcontract: cannot debug: "
INSTALL_HINT = (
    "debugging needs debugpy next to scriptcontract: install it with "
    "`pip install 'scriptcontract[debug]'` in the environment that runs scriptcontract"
)


@dataclass(frozen=True)
class Debugger:
    """Where the debug adapter waits for the script to connect, and the session's tokens:
    any process of the machine may connect to a loopback port, so each side proves itself
    to the other (`server_token`: the adapter to the script; `client_token`: the script to
    the adapter, which scriptcontract's adapter start checks)."""

    host: str
    port: int
    server_token: str = field(repr=False)
    client_token: str = field(repr=False)

    @classmethod
    def new(cls, host: str = LOOPBACK) -> Debugger:
        """A session's: a port nobody listens on now, and fresh tokens."""
        return cls(host, free_port(host), secrets.token_hex(32), secrets.token_hex(32))

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    def address(self) -> dict[str, Any]:
        """As the launch configuration carries it (what `debugRun` is given back)."""
        return {
            "host": self.host,
            "port": self.port,
            "serverToken": self.server_token,
            "clientToken": self.client_token,
        }


class DebuggerError(Exception):
    """The debugger cannot be reached; the message says where and why."""


def debugpy_package() -> Path:
    """The folder of the debugpy package scriptcontract debugs with (not imported here)."""
    try:
        spec = importlib.util.find_spec("debugpy")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise DebuggerError(INSTALL_HINT)
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def adapter_command(python: str, debugger: Debugger) -> list[str]:
    """How to start debugpy's adapter (DAP over stdio) with `python` for the session of
    `debugger`: through scriptcontract's start of it (`debug_adapter`), which takes as the
    debuggee only a connection presenting the session's client token. Its folder run as a
    script puts only itself on `sys.path` (then debugpy's parent), not the project."""
    return [
        python,
        str(ADAPTER),
        "--debugpy",
        str(debugpy_package()),
        "--client-access-token",
        debugger.client_token,
        "--server-access-token",
        debugger.server_token,
    ]


async def connect(debugger: Debugger, timeout_s: float = CONNECT_TIMEOUT_S) -> socket.socket:
    """A socket connected to the adapter; only loopback addresses (the adapter is local)."""
    if not _is_loopback(debugger.host):
        raise DebuggerError(
            f"the debugger must listen on this machine (a loopback address), not {debugger.host}"
        )
    if not 0 < debugger.port < 65536:
        raise DebuggerError(f"{debugger.port} is not a port number")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            debugger.host, debugger.port, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise DebuggerError(f"cannot resolve {debugger.host}: {exc}") from exc
    # The editor starts the adapter and the run together: until the adapter listens, the
    # connection is refused, so it is tried again until the time is up.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    problem: OSError = OSError("no address")
    while True:
        for family, kind, proto, _name, address in infos:
            connection = socket.socket(family, kind, proto)
            connection.setblocking(False)
            try:
                await asyncio.wait_for(
                    loop.sock_connect(connection, address), max(deadline - loop.time(), 0.01)
                )
            except (OSError, asyncio.TimeoutError) as exc:
                connection.close()
                problem = exc if isinstance(exc, OSError) else OSError("timed out")
                continue
            connection.setblocking(True)
            return connection
        if not isinstance(problem, ConnectionRefusedError) or loop.time() >= deadline:
            break
        await asyncio.sleep(0.05)
    reason = problem.strerror or str(problem)
    raise DebuggerError(
        f"cannot connect to the debugger at {debugger} within {timeout_s:g} s: {reason}"
    )


def explain_no_debugger(result: ExecutionResult) -> None:
    """A debug run whose debugpy could not start says so as its error (not "exit 126")."""
    if result.exit_code != NO_DEBUGGER_EXIT_CODE:
        return
    for line in result.stderr.splitlines():
        if line.startswith(_NO_DEBUGGER_PREFIX):
            result.error = line[len(_NO_DEBUGGER_PREFIX) :]
            result.error_kind = "setup"
            result.error_type = "DebuggerUnavailable"
            return


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = LOOPBACK) -> int:
    """A port nobody listens on now, for the adapter to listen on (it binds it at once)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def confinement(policy: SandboxPolicy, script: str) -> str:
    """The session's first line: whether the debugged script runs in the sandbox."""
    if not policy.enabled:
        return (
            f"scriptcontract: {script} runs NOT confined: the project's configuration turns "
            "the sandbox off (sandbox.enabled = false)."
        )
    network = "" if policy.network else " (network = false holds)"
    return (
        f"scriptcontract: {script} runs confined, in the sandbox a run has; the debugger's "
        f"connection is opened by scriptcontract and handed in, so no network right is "
        f"added{network}. No timeout while debugging: stop the session to end the run."
    )


def launch_configuration(
    *,
    script: Path,
    root: Path,
    interpreter: str,
    inputs: dict[str, Any],
    inputs_source: str,
    env: dict[str, str],
    policy: SandboxPolicy,
) -> dict[str, Any]:
    """What an editor needs to debug `script` with `inputs`: the adapter to start, the DAP
    `attach` arguments to send it, and, to show, what the debug run will be."""
    debugger = Debugger.new()
    adapter = adapter_command(sys.executable, debugger)
    name = f"Debug {script.name} with inputs"
    return {
        "name": name,
        "adapter": {"command": adapter[0], "args": adapter[1:]},
        "configuration": {
            "type": DEBUG_TYPE,
            "request": "attach",
            "name": name,
            "listen": {"host": debugger.host, "port": debugger.port},
            "justMyCode": True,
            # Stepping past the script's last line must not step into the bootstrap.
            "rules": [{"path": str(BOOTSTRAP.parent), "include": False}],
        },
        "debugger": debugger.address(),
        "interpreter": interpreter,
        "program": str(script),
        "cwd": str(root),
        "env": dict(env),
        "inputs": inputs,
        "inputsSource": inputs_source,
        "confined": policy.enabled,
        "sandbox": confinement(policy, script.name),
    }
