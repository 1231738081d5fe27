"""The processes of this machine as /proc shows them: the one parser the tests share."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    state: str
    name: str

    @property
    def alive(self) -> bool:
        """Running (a zombie has ended: only its exit status is left)."""
        return self.state not in ("Z", "X")


def process(pid: int) -> Proc | None:
    """The process `pid` as /proc shows it now, or None when there is none."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields follow the last ')'.
    name = raw[raw.find(b"(") + 1 : raw.rfind(b")")].decode("utf-8", "replace")
    fields = raw[raw.rfind(b")") + 2 :].split()
    return Proc(pid, int(fields[1]), int(fields[2]), fields[0].decode(), name)


def all_processes() -> Iterator[Proc]:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = process(int(entry))
            if found is not None:
                yield found


def is_alive(pid: int) -> bool:
    found = process(pid)
    return found is not None and found.alive


def live_pids(pids: list[int]) -> list[int]:
    """Those of `pids` still running (zombies do not count: pid 1 may never reap them)."""
    return [pid for pid in pids if is_alive(pid)]


def live_in_group(pgid: int) -> list[int]:
    """Live processes of process group `pgid`."""
    return [p.pid for p in all_processes() if p.alive and p.pgid == pgid]


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace")


def live_with_marker(marker: str) -> list[int]:
    """Pids of live processes (not this one) whose command line contains `marker`."""
    me = os.getpid()
    return [
        p.pid for p in all_processes() if p.pid != me and p.alive and marker in command_line(p.pid)
    ]


def inotify_watches(pid: int) -> int:
    """How many inotify watches process `pid` holds (one line per watch in its fdinfo)."""
    total = 0
    for info in Path(f"/proc/{pid}/fdinfo").iterdir():
        with contextlib.suppress(OSError):
            total += info.read_text(encoding="utf-8").count("inotify wd:")
    return total
