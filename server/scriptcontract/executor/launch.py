"""How a run's process is started: a fresh interpreter (cold) or a fork of a warm one.

Both get the same four pipes (stdin, stdout, stderr, report) created by the caller, start
the sandbox bootstrap with the same spec, and put the script in its own process group.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from scriptcontract.executor.sandbox import BOOTSTRAP


@dataclass(frozen=True)
class ChildEnds:
    """The child's ends of the run's pipes."""

    stdin: int
    stdout: int
    stderr: int
    report: int


@dataclass(frozen=True)
class Started:
    pid: int
    wait: Callable[[], Awaitable[int]]  # the exit status, Popen-style (-N: killed by signal N)


class Launcher(Protocol):
    mode: Literal["cold", "warm"]

    async def launch(
        self, spec: dict[str, Any], ends: ChildEnds, *, cwd: str, env: dict[str, str]
    ) -> Started: ...


async def wait_for_exit(pid: int, reap: Callable[[], int]) -> int:
    """Wait until `pid` exits, then `reap()` it; never waits for its pipes to close."""
    loop = asyncio.get_running_loop()
    try:
        pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else -1
    except OSError:
        pidfd = -1
    if pidfd < 0:  # no pidfd (macOS, old kernel): a thread blocks in waitpid instead
        return await loop.run_in_executor(None, reap)
    exited: asyncio.Future[None] = loop.create_future()

    def on_exit() -> None:
        if not exited.done():
            exited.set_result(None)

    loop.add_reader(pidfd, on_exit)
    try:
        await exited
    finally:
        loop.remove_reader(pidfd)
        os.close(pidfd)
    return reap()


class ColdLauncher:
    """A fresh `python -I bootstrap.py SPEC` per run."""

    mode: Literal["cold", "warm"] = "cold"

    def __init__(self, python: str) -> None:
        self.python = python

    def command(self, spec: dict[str, Any], report_fd: int) -> list[str]:
        return [self.python, "-I", str(BOOTSTRAP), json.dumps({**spec, "report_fd": report_fd})]

    async def launch(
        self, spec: dict[str, Any], ends: ChildEnds, *, cwd: str, env: dict[str, str]
    ) -> Started:
        argv = self.command(spec, ends.report)
        # Popen, not asyncio's subprocess: asyncio's wait() also waits for the pipes to close,
        # which a leftover grandchild can delay forever.
        proc = subprocess.Popen(
            argv,
            stdin=ends.stdin,
            stdout=ends.stdout,
            stderr=ends.stderr,
            cwd=cwd,
            env=env,
            start_new_session=True,
            pass_fds=(ends.report,),
        )
        return Started(pid=proc.pid, wait=lambda: wait_for_exit(proc.pid, proc.wait))
