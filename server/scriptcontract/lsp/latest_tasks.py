"""The one task in flight per script (or cases file) for a kind of work: runs, case runs,
explorations. A new request for the same file replaces the one before it, which is
cancelled (its processes killed by its own cancellation handling)."""

from __future__ import annotations

import asyncio
from typing import Any


class LatestTasks:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def replace(self, key: str) -> asyncio.Task[Any] | None:
        """Cancel the task `key` had, if still running, and record the current one."""
        previous = self._tasks.get(key)
        if previous is not None and not previous.done():
            previous.cancel()
        task = asyncio.current_task()
        if task is not None:
            self._tasks[key] = task
        return task

    def release(self, key: str, task: asyncio.Task[Any] | None) -> None:
        """Forget `task` for `key`, unless a newer request has replaced it already."""
        if self._tasks.get(key) is task:
            del self._tasks[key]

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
