"""A debug session as an editor drives it: debugpy's adapter started with a given command,
`attach` with `listen`, breakpoints, `configurationDone`; the run is started alongside."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.debug.dap import DapClient, Message
from tests.time_limits import GRACE_S

if TYPE_CHECKING:
    from tests.lsp.conftest import Session

# A debug run starts a cold interpreter that imports debugpy: longer than a request.
START_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class DebugSession:
    def __init__(self, dap: DapClient, attach: asyncio.Future[Message]) -> None:
        self.dap = dap
        self.attach = attach

    @classmethod
    async def start(cls, adapter: Sequence[str], configuration: dict[str, Any]) -> DebugSession:
        """The adapter, initialised, with `configuration` (an `attach` request's arguments)
        sent: it answers once the script has connected and the configuration is done."""
        dap = await DapClient.start(adapter)
        await dap.request(
            "initialize",
            {
                "adapterID": "scriptcontract",
                "clientID": "tests",
                "linesStartAt1": True,
                "columnsStartAt1": True,
                "pathFormat": "path",
            },
        )
        return cls(dap, dap.send("attach", configuration))

    async def configure(self, script: Path, lines: list[int], uncaught: bool = False) -> None:
        """Once the script has connected: breakpoints, then `configurationDone`."""
        await self.dap.event("initialized", timeout_s=START_S)
        await self.dap.request(
            "setBreakpoints",
            {"source": {"path": str(script)}, "breakpoints": [{"line": n} for n in lines]},
        )
        await self.dap.request(
            "setExceptionBreakpoints", {"filters": ["uncaught"] if uncaught else []}
        )
        await self.dap.request("configurationDone")
        response = await asyncio.wait_for(self.attach, GRACE_S)
        assert response.get("success"), response

    async def stopped(self, after: int = 0) -> tuple[Message, dict[str, Any]]:
        """The next `stopped` event and the top frame of its thread."""
        event = await self.dap.event("stopped", timeout_s=START_S, after=after)
        trace = await self.dap.request("stackTrace", {"threadId": event["threadId"]})
        return event, trace["stackFrames"][0]

    async def evaluate(self, expression: str, frame: dict[str, Any]) -> str:
        body = await self.dap.request(
            "evaluate", {"expression": expression, "frameId": frame["id"], "context": "repl"}
        )
        return str(body["result"])

    async def close(self) -> str:
        return await self.dap.close()


async def debug_run_to_result(
    lsp: Session,
    launch: dict[str, Any],
    script: Path,
    line: int,
    at_breakpoint: Callable[[DebugSession, dict[str, Any]], Awaitable[None]],
) -> dict[str, Any]:
    """A session as an editor drives it from the server's launch configuration (`adapter`,
    `configuration`, `run`): the adapter, `debugRun`, a breakpoint at `line` of `script`
    where it must stop, `at_breakpoint` there, continue; the debug run's answer."""
    adapter = [launch["adapter"]["command"], *launch["adapter"]["args"]]
    session = await DebugSession.start(adapter, launch["configuration"])
    try:
        answer = asyncio.ensure_future(lsp.command("scriptcontract.debugRun", launch["run"]))
        await session.configure(script, [line])
        event, frame = await session.stopped()
        assert (event["reason"], frame["line"]) == ("breakpoint", line)
        await at_breakpoint(session, frame)
        await session.dap.request("continue", {"threadId": event["threadId"]})
        result: dict[str, Any] = await asyncio.wait_for(answer, START_S)
        return result
    finally:
        await session.close()
