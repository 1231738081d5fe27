"""One shared watchdog that caps the number of live processes of every active run.

`RLIMIT_NPROC` does not hold for root, so a fork bomb is contained from outside: one
scan of /proc counts the processes of every active run, and the group of a run that goes
over its cap is killed. A run is first counted one interval after it started, then every
interval: runs shorter than one interval cost nothing, however many follow each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections import Counter
from collections.abc import Callable

from scriptcontract.executor.process_group import HAVE_PROC, live_processes

log = logging.getLogger(__name__)

INTERVAL_S = 0.05


class GroupWatch:
    def __init__(self) -> None:
        # pgid -> (cap, what to call past it, when it is next counted)
        self._limits: dict[int, tuple[int, Callable[[], None], float]] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def available(self) -> bool:
        return HAVE_PROC

    def watch(self, pgid: int, limit: int, on_exceeded: Callable[[], None]) -> None:
        if not HAVE_PROC:
            return
        self._limits[pgid] = (limit, on_exceeded, time.monotonic() + INTERVAL_S)
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
                counts = _count_groups(set(self._limits))
            except OSError:  # /proc vanished (chroot, unmount): nothing left to enforce with
                log.exception("process watchdog cannot read /proc")
                return
            # One scan counted them all: each is next counted one interval from now.
            for pgid, (limit, on_exceeded, _due) in list(self._limits.items()):
                self._limits[pgid] = (limit, on_exceeded, now + INTERVAL_S)
                if counts.get(pgid, 0) > limit:
                    self._limits.pop(pgid, None)
                    with contextlib.suppress(Exception):
                        on_exceeded()


def _count_groups(pgids: set[int]) -> Counter[int]:
    return Counter(pgid for _, pgid in live_processes() if pgid in pgids)


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
