"""A bare JSON-RPC peer over the server's stdio, for messages no well-behaved client sends."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from pygls.uris import from_fs_path

from tests.interpreter import environment

SERVER = [sys.executable, "-m", "scriptcontract", "serve"]


def framed(body: bytes) -> bytes:
    """`body` as one message on the wire: its Content-Length header first."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def message_bytes(message: dict[str, Any]) -> bytes:
    """A JSON-RPC 2.0 message, framed."""
    return framed(json.dumps({"jsonrpc": "2.0", **message}).encode())


async def read_message(stream: asyncio.StreamReader) -> dict[str, Any]:
    """The next message from `stream`; EOFError when the other end has closed it."""
    length = 0
    while True:
        line = await stream.readline()
        if not line:
            raise EOFError("the server closed its end")
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif line in (b"\r\n", b"\n") and length:
            break
    message: dict[str, Any] = json.loads(await stream.readexactly(length))
    return message


class RawPeer:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.notifications: list[dict[str, Any]] = []
        self.other_responses: list[dict[str, Any]] = []
        self._next_id = 0

    @classmethod
    async def start(cls, command: list[str] | None = None, *, stderr: int | None = None) -> RawPeer:
        """Starts `command` (the server by default); its stderr is dropped unless `stderr`
        says where it goes."""
        process = await asyncio.create_subprocess_exec(
            *(command or SERVER),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL if stderr is None else stderr,
            env=environment(),
        )
        return cls(process)

    def send_bytes(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(framed(body))

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(message_bytes(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    async def request(self, method: str, params: Any = None, timeout: float = 10) -> dict[str, Any]:
        """Send a request and return the whole response (result or error)."""
        self._next_id += 1
        ident = self._next_id
        self.send({"id": ident, "method": method, "params": params})
        return await self.response(ident, timeout)

    async def response(self, ident: Any, timeout: float = 10) -> dict[str, Any]:
        return await asyncio.wait_for(self._read_until(ident), timeout)

    async def _read_until(self, ident: Any) -> dict[str, Any]:
        while True:
            message = await self.read()
            if message.get("id") == ident and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request of the server's
                self.send({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.append(message)
            else:  # an answer to another request, or a second answer to one
                self.other_responses.append(message)

    async def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        return await read_message(self.process.stdout)

    async def initialize(self, root: Path) -> dict[str, Any]:
        response = await self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": from_fs_path(str(root)),
                "capabilities": {"textDocument": {"publishDiagnostics": {}}},
            },
        )
        self.notify("initialized", {})
        return response

    async def diagnostics_for(
        self, uri: str, code: str = "SCR001", timeout: float = 10
    ) -> list[dict[str, Any]]:
        """The first publication for `uri` that has a diagnostic with `code`."""

        async def wait() -> list[dict[str, Any]]:
            while True:
                for message in self.notifications:
                    if (
                        message["method"] == "textDocument/publishDiagnostics"
                        and message["params"]["uri"] == uri
                        and any(d["code"] == code for d in message["params"]["diagnostics"])
                    ):
                        found: list[dict[str, Any]] = message["params"]["diagnostics"]
                        return found
                self.notifications.append(await self.read())

        return await asyncio.wait_for(wait(), timeout)

    async def exit_code(self, timeout: float = 10) -> int:
        """The server's exit status, once it has ended by itself (fails after `timeout`)."""
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"the server was still running after {timeout} s") from None

    async def close(self) -> int:
        if self.process.returncode is None:
            self.process.kill()
        return await self.exit_code()
