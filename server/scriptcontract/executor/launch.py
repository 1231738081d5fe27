"""How a run's process is started: a fresh interpreter (cold) or a fork of a warm one.

Both get the same five pipes (stdin, stdout, stderr, report, stacks) created by the caller,
start the sandbox bootstrap with the same spec, and put the script in its own process
group. The spec (with the run's environment) goes through a pipe of its own that only the
bootstrap reads: never through argv or the environment the interpreter starts with, which
other processes can read (/proc/PID/cmdline) or which the dynamic loader acts on before
the sandbox is in place (LD_PRELOAD).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from scriptcontract.executor.run_keeper import NoKeeper, run_keeper
from scriptcontract.executor.sandbox import BOOTSTRAP


@dataclass(frozen=True)
class ChildEnds:
    """The child's ends of the run's pipes."""

    stdin: int
    stdout: int
    stderr: int
    report: int  # the sandbox report: closed by the bootstrap before the script's first line
    stacks: int  # where the stacks go when a timeout is near: the script's to write too


@dataclass(frozen=True)
class Started:
    pid: int
    wait: Callable[[], Awaitable[int]]  # the exit status, Popen-style (-N: killed by signal N)
    # Once every process of the run is dead: what the launch set up for it goes.
    done: Callable[[], None] = lambda: None


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


# What the interpreter of a cold run starts with: what its start-up reads, nothing the
# dynamic loader or the C library would act on (LD_*, LOCPATH, GCONV_PATH, ...). The run's
# own environment is put in place by the bootstrap, once the run is confined.
_SAFE_LOCALE = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_LOCALE_NAMES = ("LANG", "LC_ALL", "LC_CTYPE")


def start_env(run_env: dict[str, str]) -> dict[str, str]:
    env = {"PATH": os.defpath}
    for name in _LOCALE_NAMES:
        value = run_env.get(name)
        if value is not None and _SAFE_LOCALE.fullmatch(value):
            env[name] = value
    env.setdefault("LANG", "C.UTF-8")
    return env


class ColdLauncher:
    """A fresh `python -I -S bootstrap.py SPEC_FD` per run.

    -S: the interpreter's site-packages (`.pth` files, sitecustomize) are processed by the
    bootstrap once the run is confined, not by the interpreter before.
    """

    mode: Literal["cold", "warm"] = "cold"

    def __init__(self, python: str, pass_fds: tuple[int, ...] = ()) -> None:
        self.python = python
        # Descriptors the run is given on purpose (a debug run's debugger connection).
        self.pass_fds = pass_fds

    def command(self, spec_fd: int) -> list[str]:
        return [self.python, "-I", "-S", str(BOOTSTRAP), str(spec_fd)]

    async def launch(
        self, spec: dict[str, Any], ends: ChildEnds, *, cwd: str, env: dict[str, str]
    ) -> Started:
        spec_r, spec_w = os.pipe()
        full = {**spec, "env": env, "report_fd": ends.report, "stacks_fd": ends.stacks}
        try:
            # Popen, not asyncio's subprocess: asyncio's wait() also waits for the pipes to
            # close, which a leftover grandchild can delay forever.
            proc = subprocess.Popen(
                self.command(spec_r),
                stdin=ends.stdin,
                stdout=ends.stdout,
                stderr=ends.stderr,
                cwd=cwd,
                env=start_env(env),
                start_new_session=True,
                pass_fds=(ends.report, ends.stacks, spec_r, *self.pass_fds),
            )
        except BaseException:
            os.close(spec_w)
            raise
        finally:
            os.close(spec_r)
        # The run dies with this process: its keeper kills the group if we die first. The
        # spec goes only after the group is registered, for the bootstrap runs nothing before
        # it has read it all: killed in between, we leave it an end of file, and it exits.
        # Sent before, a script could start (and start others) while no keeper knew of it.
        keeper = run_keeper()
        try:
            keeper.keep(proc.pid)
        except NoKeeper:
            # Nobody would stop it: the bootstrap, given an end of file for its spec, exits
            # having run nothing; the kill and the wait only make sure of it.
            os.close(spec_w)
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            raise
        send_and_close(spec_w, json.dumps(full).encode("utf-8"))
        return Started(
            pid=proc.pid,
            wait=lambda: wait_for_exit(proc.pid, proc.wait),
            done=lambda: keeper.release(proc.pid),
        )


# Writes of large specs still under way: held here, since the loop keeps only weak
# references to tasks.
_writing: set[asyncio.Future[None]] = set()


def send_and_close(fd: int, data: bytes) -> None:
    """Write `data` into the pipe `fd` and close it, without blocking the loop.

    A spec usually fits in the pipe at once; the rest of a larger one is written as the
    child reads. A child that dies first closes its end: the rest is dropped.
    """
    os.set_blocking(fd, False)
    try:
        sent = os.write(fd, data)
    except BlockingIOError:
        sent = 0
    except OSError:
        sent = len(data)  # the reader is gone already
    if sent >= len(data):
        os.close(fd)
        return
    writing = asyncio.ensure_future(_write_rest(fd, memoryview(data)[sent:]))
    _writing.add(writing)
    writing.add_done_callback(_writing.discard)
    writing.add_done_callback(lambda _: os.close(fd))


async def _write_rest(fd: int, view: memoryview) -> None:
    loop = asyncio.get_running_loop()
    while view:
        writable = asyncio.Event()
        loop.add_writer(fd, writable.set)
        try:
            await writable.wait()
        finally:
            loop.remove_writer(fd)
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue
        except OSError:
            return  # the child is gone (EPIPE): its run ends without it
