"""Asks the real language server what it can do, so that an editor test whose server cannot
start, or lacks what the test uses, fails at once and says so."""

from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

SERVER_CMD = [sys.executable, "-m", "scriptcontract", "serve"]


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
            if name not in self.commands and not self.capabilities.get(name)
        ]
        return f"the language server does not offer {', '.join(absent)}" if absent else None


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def probe_server(command: list[str] = SERVER_CMD, timeout_s: float = 30.0) -> ServerFeatures:
    """Starts `command` (the server), sends initialize, shuts it down; never raises."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        return ServerFeatures(problem=f"cannot start {command}: {exc}")
    assert process.stdin is not None and process.stdout is not None
    initialize: dict[str, Any] = {"processId": os.getpid(), "rootUri": None, "capabilities": {}}
    try:
        process.stdin.write(
            _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize})
        )
        process.stdin.flush()
    except BrokenPipeError:
        pass
    buffer = b""
    deadline = time.monotonic() + timeout_s
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        while time.monotonic() < deadline:
            if not selector.select(timeout=0.5):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            header_end = buffer.find(b"\r\n\r\n")
            if header_end < 0:
                continue
            found = re.search(rb"Content-Length:\s*(\d+)", buffer[:header_end], re.IGNORECASE)
            if found is None:
                return ServerFeatures(problem=f"not an LSP answer: {buffer[:200]!r}")
            length = int(found.group(1))
            body = buffer[header_end + 4 : header_end + 4 + length]
            if len(body) < length:
                continue
            answer = json.loads(body)
            if "error" in answer:
                return ServerFeatures(problem=f"initialize failed: {answer['error']}")
            return ServerFeatures(capabilities=answer["result"]["capabilities"])
        process.kill()
        stderr = process.communicate(timeout=10)[1].decode(errors="replace").strip()
        return ServerFeatures(
            problem=f"no answer to initialize (exit code {process.returncode}): {stderr}"
        )
    finally:
        selector.close()
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
