"""A Debug Adapter Protocol client for the tests: a real adapter process over its stdio.

Small on purpose: requests with their responses, events kept in order and waited for, each
wait bounded and saying what it waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from tests.time_limits import GRACE_S

Message = dict[str, Any]


class DapError(Exception):
    """The adapter refused a request, went away, or did not answer in time."""


class DapClient:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.events: list[Message] = []
        self._seq = 0
        self._pending: dict[int, asyncio.Future[Message]] = {}
        self._changed = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())
        self.closed = False

    @classmethod
    async def start(cls, command: Sequence[str], env: dict[str, str] | None = None) -> DapClient:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        return cls(process)

    async def request(
        self, command: str, arguments: dict[str, Any] | None = None, timeout_s: float = GRACE_S
    ) -> Message:
        """The response's body; DapError when the adapter refuses or does not answer."""
        response = await asyncio.wait_for(self.send(command, arguments), timeout_s)
        if not response.get("success"):
            raise DapError(f"{command} refused: {response.get('message')} {response.get('body')}")
        body: Message = response.get("body") or {}
        return body

    def send(
        self, command: str, arguments: dict[str, Any] | None = None
    ) -> asyncio.Future[Message]:
        """Sends a request; the future is its response (successful or not)."""
        assert self.process.stdin is not None
        self._seq += 1
        message = {"seq": self._seq, "type": "request", "command": command}
        if arguments is not None:
            message["arguments"] = arguments
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[self._seq] = future
        return future

    async def event(
        self,
        name: str,
        predicate: Callable[[Message], bool] = lambda body: True,
        timeout_s: float = GRACE_S,
        after: int = 0,
    ) -> Message:
        """The body of the first event `name` (from index `after`) the predicate accepts."""

        async def wait() -> Message:
            while True:
                for event in self.events[after:]:
                    body = event.get("body") or {}
                    if event.get("event") == name and predicate(body):
                        return dict(body)
                if self.closed:
                    raise DapError(f"the adapter ended before the event {name}")
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(wait(), timeout_s)
        except asyncio.TimeoutError:
            seen = [event.get("event") for event in self.events]
            raise DapError(f"no event {name} in {timeout_s} s; events: {seen}") from None

    def output(self, category: str | None = None) -> str:
        return "".join(
            str(event["body"].get("output", ""))
            for event in self.events
            if event.get("event") == "output"
            and (category is None or event["body"].get("category") == category)
        )

    async def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = await stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode().partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                message: Message = json.loads(await stream.readexactly(length))
                if message.get("type") == "response":
                    future = self._pending.pop(message.get("request_seq", -1), None)
                    if future is not None and not future.done():
                        future.set_result(message)
                elif message.get("type") == "event":
                    self.events.append(message)
                self._changed.set()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self.closed = True
            self._changed.set()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(DapError("the adapter ended"))

    async def close(self) -> str:
        """Ends the adapter; its stderr, for messages."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()
        self._reader.cancel()
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode("utf-8", "replace")
