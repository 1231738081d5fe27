"""The one check in flight per open file (a cases file, an inputs file): a new text
cancels the check of the text before it, and a pull waits for the latest one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any


class LatestChecks:
    def __init__(self, logger: logging.Logger, what: str) -> None:
        self._logger = logger
        self._what = what
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def schedule(self, uri: str, check: Coroutine[Any, Any, None]) -> None:
        """Run `check` for `uri`, cancelling the one before it."""
        self.cancel(uri)
        task = asyncio.get_running_loop().create_task(check)
        self._tasks[uri] = task
        task.add_done_callback(lambda done: self._finished(uri, done))

    def cancel(self, uri: str) -> None:
        task = self._tasks.pop(uri, None)
        if task is not None:
            task.cancel()

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    async def settled(self, uri: str) -> None:
        """Returns once the check of `uri` scheduled so far is delivered (for a pull)."""
        task = self._tasks.get(uri)
        if task is not None:
            await asyncio.wait({task})

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(uri) is task:
            del self._tasks[uri]
        if not task.cancelled() and task.exception() is not None:
            self._logger.error("Checking %s %s failed", self._what, uri, exc_info=task.exception())
