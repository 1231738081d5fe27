"""The processes of one run: count the live ones and kill them all.

A run's child leads its own process group; the sandbox denies setsid/setpgid, so every
process the script starts stays in that group. Zombies do not count as live (whether
they are reaped is up to init, and they hold no resources a user cares about), unless
threads of theirs still run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator

HAVE_PROC = sys.platform.startswith("linux") and os.path.isdir("/proc/self")


def _usage(stat: bytes) -> tuple[int, int, int] | None:
    """(pgid, live processes, live tasks) of one /proc/PID/stat, None for a dead process.

    A process whose main thread has exited shows as a zombie while its other threads run:
    it is alive, with `num_threads - 1` of them. Counted by the state letter alone, such
    a process (and its threads) would be invisible to the caps.
    """
    # The command name may hold spaces and parentheses: parse after the last ')'.
    fields = stat[stat.rfind(b")") + 2 :].split()
    if len(fields) < 18:
        return None
    threads = int(fields[17])
    if fields[0] in (b"Z", b"X"):
        threads -= 1  # the exited main thread still counts itself
    if threads <= 0:
        return None
    return int(fields[2]), 1, threads


def _live() -> Iterator[tuple[int, tuple[int, int, int]]]:
    """(pid, (pgid, 1, live tasks)) of every live process, from one scan of /proc."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                usage = _usage(handle.read())
        except OSError:
            continue
        if usage is not None:
            yield int(name), usage


def group_usage(pgids: set[int]) -> dict[int, tuple[int, int]]:
    """For each of `pgids`: (live processes, live tasks: threads of all of them), in one
    scan of /proc."""
    found: dict[int, tuple[int, int]] = {}
    for _pid, (pgid, process, tasks) in _live():
        if pgid in pgids:
            processes, total = found.get(pgid, (0, 0))
            found[pgid] = (processes + process, total + tasks)
    return found


def live_members(pgid: int) -> list[int]:
    """Pids of the live processes in process group `pgid`."""
    if not HAVE_PROC:
        return [pgid] if _group_exists(pgid) else []
    return [pid for pid, usage in _live() if usage[0] == pgid]


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def kill_group(pgid: int) -> bool:
    """SIGKILL the whole group until no live member is left; False if some survived ~2 s."""
    for _ in range(400):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return True
        if not live_members(pgid):
            return True
        await asyncio.sleep(0.005)
    return False
