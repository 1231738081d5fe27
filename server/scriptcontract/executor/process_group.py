"""The processes of one run: count the live ones and kill them all.

A run's child leads its own process group; the sandbox denies setsid/setpgid, so every
process the script starts stays in that group. Zombies do not count as live: whether
they are reaped is up to init, and they hold no resources a user cares about.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator

HAVE_PROC = sys.platform.startswith("linux") and os.path.isdir("/proc/self")


def live_processes() -> Iterator[tuple[int, int]]:
    """(pid, pgid) of every live (not zombie) process, from /proc."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: parse after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 2 and fields[0] not in (b"Z", b"X"):
            yield int(name), int(fields[2])


def live_members(pgid: int) -> list[int]:
    """Pids of the live processes in process group `pgid`."""
    if not HAVE_PROC:
        return [pgid] if _group_exists(pgid) else []
    return [pid for pid, group in live_processes() if group == pgid]


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
