"""A control group per run, where the executor may make one: limits the kernel counts.

rlimits are per process: a run of many processes, or one that holds memory the address
space does not show (memory files, tmpfs pages), gets past them. A control group counts
the whole run: `memory` limits the memory of all its processes together, `pids` the
number of its tasks (threads included, root included), and the group's membership lets
every process of the run be killed at once, even one that left the process group.

Where one can be made: cgroup v1 hierarchies (memory, pids) writable below the executor's
own group (root in containers and CI), or a cgroup v2 group whose parent is writable and
has the controllers enabled for its children (a delegated user slice on a desktop). The
child joins the run's groups before it confines itself (boot.py); the executor removes
them once every process of the run is dead. Nothing here raises: without a usable place
the run goes on with the rlimits and the watchdog, and the report says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CONTROLLERS = ("memory", "pids")
_names = itertools.count(1)
# Removals under way: held here, since the loop keeps only weak references to tasks.
_removals: set[asyncio.Future[None]] = set()


@dataclass(frozen=True)
class Hierarchy:
    version: int  # 1 or 2
    parent: Path  # where run groups are made
    controllers: frozenset[str]  # of CONTROLLERS, usable there


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, fstype, super options) of the cgroup mounts, from mountinfo."""
    found = []
    for line in _read(Path("/proc/self/mountinfo")).splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        before, after = line.split(" - ", 1)
        rest = after.split()
        if len(rest) >= 3 and rest[0] in ("cgroup", "cgroup2"):
            found.append((before.split()[4], rest[0], set(rest[2].split(","))))
    return found


def discover() -> list[Hierarchy]:
    """The places this process may make run groups in, and what each can limit."""
    own: dict[str, str] = {}  # controller (or "" for v2) -> this process's path
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                own[controller] = parts[2]
    found: list[Hierarchy] = []
    mounts = _mounts()
    for point, fstype, options in mounts:
        if fstype == "cgroup":
            for controller in CONTROLLERS:
                parent = Path(point + own.get(controller, "/"))
                if controller in options and controller in own and _writable(parent):
                    found.append(Hierarchy(1, parent, frozenset({controller})))
    taken = {c for h in found for c in h.controllers}
    for point, fstype, _options in mounts:
        if fstype == "cgroup2" and "" in own:
            mine = Path(point + own[""])
            # A v2 group with processes cannot also have children with controllers (but
            # the root can): run groups are made beside this process's own group.
            parent = mine if own[""] == "/" else mine.parent
            if _writable(parent):
                enabled = set(_read(parent / "cgroup.subtree_control").split())
                # A controller bound to v1 is not in v2 too: nothing is counted twice.
                usable = frozenset((enabled & set(CONTROLLERS)) - taken)
                # Without a controller, a v2 group adds only membership, which the v1
                # groups give already.
                if usable or not found:
                    found.append(Hierarchy(2, parent, usable))
    return found


def _writable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


_discovered: list[Hierarchy] | None = None


def hierarchies() -> list[Hierarchy]:
    global _discovered
    if _discovered is None:
        _discovered = discover() if os.path.isdir("/sys/fs/cgroup") else []
        for hierarchy in _discovered:
            _sweep(hierarchy.parent)
    return _discovered


def _sweep(parent: Path) -> None:
    """Remove the empty run groups of executors that died before removing them."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != "scriptcontract" or not parts[1].isdigit():
            continue
        if not os.path.exists(f"/proc/{parts[1]}"):
            with contextlib.suppress(OSError):  # not empty, or not ours to remove
                os.rmdir(parent / name)


class RunGroups:
    """The control groups of one run."""

    def __init__(self, groups: list[tuple[Hierarchy, Path]], limits: dict[str, str]) -> None:
        self.groups = groups
        self.limits = limits  # controller -> what was set, for the report

    @classmethod
    def create(cls, memory_bytes: int, max_tasks: int) -> RunGroups | None:
        """The run's groups with their limits, or None where none can be made."""
        groups: list[tuple[Hierarchy, Path]] = []
        limits: dict[str, str] = {}
        name = f"scriptcontract-{os.getpid()}-{next(_names)}"
        for hierarchy in hierarchies():
            path = hierarchy.parent / name
            try:
                path.mkdir()
            except OSError as exc:
                log.info("cannot make the run's cgroup %s: %s", path, exc)
                continue
            groups.append((hierarchy, path))
            for controller in hierarchy.controllers:
                if controller in limits:
                    continue
                if _set_limit(hierarchy, path, controller, memory_bytes, max_tasks):
                    limits[controller] = (
                        f"{memory_bytes // (1024 * 1024)} MiB"
                        if controller == "memory"
                        else f"{max_tasks} tasks"
                    )
        if not groups:
            return None
        return cls(groups, limits)

    @property
    def procs_files(self) -> list[str]:
        """Where the run's first process writes its pid to join (before it is confined)."""
        return [str(path / "cgroup.procs") for _hierarchy, path in self.groups]

    def describe(self) -> str:
        if not self.limits:
            return "cgroup: membership only (no memory or pids controller here)"
        versions = sorted({f"v{h.version}" for h, _p in self.groups})
        shown = ", ".join(f"{c} {v}" for c, v in sorted(self.limits.items()))
        return f"cgroup {'/'.join(versions)}: {shown} for the whole run"

    def oom_kills(self) -> int:
        """How many processes of the run the kernel killed for the memory limit."""
        total = 0
        for hierarchy, path in self.groups:
            if "memory" not in hierarchy.controllers:
                continue
            name = "memory.events" if hierarchy.version == 2 else "memory.oom_control"
            for line in _read(path / name).splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and value.strip().isdigit():
                    total += int(value)
        return total

    async def close(self) -> None:
        """Kill whatever of the run is still in its groups; their removal goes on in the
        background (it waits for the last processes to be reaped). Never raises."""
        for hierarchy, path in self.groups:
            with contextlib.suppress(OSError):
                await _empty(hierarchy, path)
        removal = asyncio.ensure_future(self._remove())
        _removals.add(removal)
        removal.add_done_callback(_removals.discard)

    async def _remove(self) -> None:
        for _hierarchy, path in self.groups:
            for _ in range(100):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    await asyncio.sleep(0.01)  # its last processes are being reaped
            else:
                log.warning("could not remove the run's cgroup %s", path)


def _set_limit(
    hierarchy: Hierarchy, path: Path, controller: str, memory_bytes: int, max_tasks: int
) -> bool:
    if controller == "pids":
        files = [("pids.max", str(max_tasks))]
    elif hierarchy.version == 2:
        files = [("memory.max", str(memory_bytes)), ("memory.swap.max", "0")]
    else:
        files = [("memory.limit_in_bytes", str(memory_bytes))]
    done = False
    for name, value in files:
        try:
            (path / name).write_text(value, encoding="ascii")
            done = done or name in ("pids.max", "memory.max", "memory.limit_in_bytes")
        except OSError as exc:
            log.info("cannot set %s of %s: %s", name, path, exc)
    return done


async def _empty(hierarchy: Hierarchy, path: Path) -> None:
    kill = path / "cgroup.kill"
    if hierarchy.version == 2 and kill.exists():
        kill.write_text("1", encoding="ascii")
    for _ in range(200):
        members = [int(p) for p in _read(path / "cgroup.procs").split() if p.isdigit()]
        if not members:
            return
        for pid in members:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.005)
