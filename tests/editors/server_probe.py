"""Asks the real language server what it can do, so that an editor test whose server cannot
start, or lacks what the test uses, fails at once and says so."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any

from tests.lsp.rpc import SERVER, RawPeer

SERVER_CMD = SERVER


@dataclass
class ServerFeatures:
    """The server's initialize answer, or why there was none."""

    capabilities: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def commands(self) -> set[str]:
        provider = self.capabilities.get("executeCommandProvider") or {}
        return set(provider.get("commands", []))

    def missing(self, *features: str) -> str | None:
        """Why a test needing `features` (capability names or command ids) cannot pass."""
        if self.problem is not None:
            return f"the language server did not start: {self.problem}"
        absent = [
            name
            for name in features
            # A provider declared with no options (`"completionProvider": {}`) is offered.
            if name not in self.commands and self.capabilities.get(name) in (None, False)
        ]
        return f"the language server does not offer {', '.join(absent)}" if absent else None


def probe_server(command: list[str] = SERVER_CMD, timeout_s: float = 30.0) -> ServerFeatures:
    """Starts `command` (the server), sends initialize, ends it; never raises."""
    return asyncio.run(_probe(command, timeout_s))


async def _probe(command: list[str], timeout_s: float) -> ServerFeatures:
    try:
        peer = await RawPeer.start(command, stderr=asyncio.subprocess.PIPE)
    except OSError as exc:
        return ServerFeatures(problem=f"cannot start {command}: {exc}")
    initialize: dict[str, Any] = {"processId": os.getpid(), "rootUri": None, "capabilities": {}}
    try:
        answer = await peer.request("initialize", initialize, timeout=timeout_s)
    except (EOFError, ConnectionError, asyncio.TimeoutError) as exc:
        code = await peer.close()
        assert peer.process.stderr is not None
        stderr = (await peer.process.stderr.read()).decode(errors="replace").strip()
        problem = f"no answer to initialize ({type(exc).__name__}, exit code {code}): {stderr}"
        return ServerFeatures(problem=problem)
    await peer.close()
    if "error" in answer:
        return ServerFeatures(problem=f"initialize failed: {answer['error']}")
    capabilities: dict[str, Any] = answer["result"]["capabilities"]
    return ServerFeatures(capabilities=capabilities)
