"""One shared watchdog that caps the live processes and threads of every active run.

`RLIMIT_NPROC` does not hold for root, so a fork or thread bomb is contained from
outside: one scan of /proc counts the processes and the threads of every active run, and
the group of a run that goes over a cap is killed. A run is first counted one interval
after it started, then every interval: runs shorter than one interval cost nothing,
however many follow each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from scriptcontract.executor.process_group import HAVE_PROC, group_usage

log = logging.getLogger(__name__)

INTERVAL_S = 0.05


@dataclass(frozen=True)
class Caps:
    """What one run's script may have live at once."""

    processes: int
    tasks: int  # threads of all its processes (a process is one at least)


class GroupWatch:
    def __init__(self) -> None:
        # pgid -> (caps, what to call past one with its name, when it is next counted)
        self._limits: dict[int, tuple[Caps, Callable[[str], None], float]] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def available(self) -> bool:
        return HAVE_PROC

    def watch(self, pgid: int, caps: Caps, on_exceeded: Callable[[str], None]) -> None:
        """Count the group `pgid`; past a cap, call `on_exceeded("processes"/"threads")`."""
        if not HAVE_PROC:
            return
        self._limits[pgid] = (caps, on_exceeded, time.monotonic() + INTERVAL_S)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop())

    def unwatch(self, pgid: int) -> None:
        self._limits.pop(pgid, None)

    async def _loop(self) -> None:
        while self._limits:
            due = min(entry[2] for entry in self._limits.values())
            await asyncio.sleep(max(due - time.monotonic(), 0))
            now = time.monotonic()
            if not any(entry[2] <= now for entry in self._limits.values()):
                continue  # the run that was due has ended; a later one is not due yet
            try:
                usage = group_usage(set(self._limits))
            except OSError:  # /proc vanished (chroot, unmount): nothing left to enforce with
                log.exception("process watchdog cannot read /proc")
                return
            # One scan counted them all: each is next counted one interval from now.
            for pgid, (caps, on_exceeded, _due) in list(self._limits.items()):
                self._limits[pgid] = (caps, on_exceeded, now + INTERVAL_S)
                processes, tasks = usage.get(pgid, (0, 0))
                over = "processes" if processes > caps.processes else None
                if over is None and tasks > caps.tasks:
                    over = "threads"
                if over is not None:
                    self._limits.pop(pgid, None)
                    with contextlib.suppress(Exception):
                        on_exceeded(over)


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupWatch] = (
    weakref.WeakKeyDictionary()
)


def group_watch() -> GroupWatch:
    """The watchdog of the running event loop."""
    loop = asyncio.get_running_loop()
    watch = _watches.get(loop)
    if watch is None:
        watch = _watches[loop] = GroupWatch()
    return watch
