"""The caller's side of the warm runner: start, feed and supervise one zygote per interpreter.

A run sends the zygote its pipes; the zygote hands them to a child (forked ahead while it
was idle, or now) and answers with the child's pid and, later, its wait status. If the
zygote cannot be started or dies, the run is started cold instead (with a log line), and
the next warm run starts a fresh zygote.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import weakref
from typing import Any, Literal

from scriptcontract.executor.launch import (
    ChildEnds,
    ColdLauncher,
    Started,
    send_and_close,
    wait_for_exit,
)
from scriptcontract.executor.sandbox import ZYGOTE

log = logging.getLogger(__name__)

MAX_MESSAGE = 64 * 1024
# The runner answers a launch in about a millisecond. One that has not answered by then is
# stopped or stuck (below Linux 6.12 a script may SIGSTOP it): the run starts cold instead,
# and the runner is replaced. Its child, should it still fork one, gets no run to start.
LAUNCH_TIMEOUT_S = 5.0


class RunnerUnavailable(Exception):
    """The warm runner could not take this run."""


class WarmRunner:
    """One pristine, pre-started interpreter that forks a sandboxed child per run."""

    def __init__(self, python: str, *, site_first: bool = False) -> None:
        self.python = python
        # Whether the runner processes the interpreter's site-packages when it starts, once
        # for all its children, instead of each run once confined: only for an interpreter
        # whose site-packages no run can write (see PythonExecutor).
        self.site_first = site_first
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._ids = itertools.count(1)
        self._launches: dict[int, asyncio.Future[int]] = {}
        # The exit of each child the runner announced, by pid: made when its launch is
        # answered (its exit may come before the launch is awaited), and replaced when the
        # kernel gives that pid to a later child (the first one's exit belongs to nobody).
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._starting: asyncio.Lock | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The runner's process id while it runs (for measurements)."""
        return self._proc.pid if self.alive and self._proc is not None else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self._sock is not None

    async def start(self) -> None:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self.alive:
                return
            if self._proc is not None:
                self.restarts += 1
                log.warning("warm runner for %s stopped; starting a new one", self.python)
                self._drop()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                # -S: nothing of the interpreter's site-packages runs unconfined; each run
                # processes them once it is confined. Without it where they are not the
                # project's (no run can write them): processed once, here.
                site = [] if self.site_first else ["-S"]
                self._proc = subprocess.Popen(
                    [self.python, "-I", *site, str(ZYGOTE), str(theirs.fileno())],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    pass_fds=(theirs.fileno(),),
                    cwd="/",
                    # Pristine: no variable of the caller; each run brings its own environment.
                    env={"LANG": "C.UTF-8", "PATH": os.defpath},
                    start_new_session=True,
                )
            except OSError as exc:
                ours.close()
                raise RunnerUnavailable(f"cannot start the warm runner: {exc}") from exc
            finally:
                theirs.close()
            ours.setblocking(False)
            self._sock = ours
            # A runner dropped with its event loop (no stop()) still ends its zygote.
            weakref.finalize(self, _end_zygote, self._proc, ours)
            asyncio.get_running_loop().add_reader(ours.fileno(), self._on_readable)

    async def launch(
        self, spec: dict[str, Any], ends: ChildEnds, *, cwd: str, env: dict[str, str]
    ) -> Started:
        await self.start()
        sock = self._sock
        if sock is None:
            raise RunnerUnavailable("the warm runner is not running")
        request_id = next(self._ids)
        launched: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._launches[request_id] = launched
        # The run itself goes through a pipe that only the forked child reads: the runner
        # never holds one run's environment or arguments for a later child to find. It is
        # written before the request, so the child finds it at once. A child of a launch
        # given up on dies with its runner (which is replaced), or is killed when it is
        # reported (a cancelled launch).
        run_r, run_w = os.pipe()
        send_and_close(run_w, json.dumps({"spec": {**spec, "env": env}, "cwd": cwd}).encode())
        fds = array.array(
            "i", [ends.stdin, ends.stdout, ends.stderr, ends.report, ends.stacks, run_r]
        )
        try:
            try:
                sock.sendmsg(
                    [json.dumps({"id": request_id}).encode()],
                    [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)],
                )
            finally:
                os.close(run_r)
            # asyncio.wait, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the answer does, and the run would go on with nobody waiting.
            done, _pending = await asyncio.wait({launched}, timeout=LAUNCH_TIMEOUT_S)
            pid = launched.result() if done else None
        except (OSError, RunnerUnavailable) as exc:
            self._launches.pop(request_id, None)
            raise RunnerUnavailable(f"the warm runner did not take the run: {exc}") from exc
        except asyncio.CancelledError:
            _kill_when_launched(launched)
            raise
        if pid is None:
            self._launches.pop(request_id, None)
            self._fail_all(RunnerUnavailable("the warm runner stopped answering"))
            raise RunnerUnavailable(f"the warm runner did not answer within {LAUNCH_TIMEOUT_S:g}s")
        exited = self._exits.setdefault(pid, asyncio.get_running_loop().create_future())
        return Started(pid=pid, wait=lambda: self._wait(pid, exited))

    async def _wait(self, pid: int, exited: asyncio.Future[int]) -> int:
        try:
            status = await exited
        except RunnerUnavailable:
            # The zygote died and the exit status went with it: wait for the orphan itself.
            log.warning("warm runner died during run %d; its exit status is lost", pid)
            return await wait_for_exit(pid, lambda: -9)
        finally:
            if self._exits.get(pid) is exited:
                del self._exits[pid]
        return os.waitstatus_to_exitcode(status)

    def _on_readable(self) -> None:
        sock = self._sock
        if sock is None:
            return
        while True:
            try:
                data = sock.recv(MAX_MESSAGE)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._fail_all(RunnerUnavailable("the warm runner stopped"))
                return
            self._dispatch(json.loads(data))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "exit" in message:
            pid, status = int(message["exit"]), int(message["status"])
            future = self._exits.get(pid)
            if future is not None and not future.done():
                future.set_result(status)
            return
        if "pid" in message:
            # A new child with this pid: an exit kept for the pid belongs to an earlier one
            # (a launch cancelled before it was answered), never to this child.
            self._exits[int(message["pid"])] = asyncio.get_running_loop().create_future()
        launched = self._launches.pop(int(message.get("id", -1)), None)
        if launched is None or launched.done():
            return
        if "pid" in message:
            launched.set_result(int(message["pid"]))
        else:
            launched.set_exception(RunnerUnavailable(str(message.get("error", "unknown"))))

    def _fail_all(self, exc: RunnerUnavailable) -> None:
        for future in (*self._launches.values(), *self._exits.values()):
            if not future.done():
                future.set_exception(exc)
        self._launches.clear()
        self._drop()

    def _drop(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=1)

    def stop(self) -> None:
        """Stop the zygote (runs it already forked go on; their exits are then lost)."""
        self._fail_all(RunnerUnavailable("the warm runner was stopped"))
        self._proc = None


def _end_zygote(proc: subprocess.Popen[bytes], sock: socket.socket) -> None:
    sock.close()
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=1)


def _kill_when_launched(launched: asyncio.Future[int]) -> None:
    """A launch was cancelled after its request went out: end the child once it is known."""

    def kill(future: asyncio.Future[int]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        pid = future.result()
        # The child may not lead its own group yet (setsid comes first thing, but it races).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)

    launched.add_done_callback(kill)


class WarmLauncher:
    """Start runs through the warm runner; fall back to a cold start if it cannot."""

    mode: Literal["cold", "warm"] = "warm"

    def __init__(self, runner: WarmRunner, python: str) -> None:
        self.runner = runner
        self.cold = ColdLauncher(python)
        self.used: Literal["cold", "warm"] = "warm"

    async def launch(
        self, spec: dict[str, Any], ends: ChildEnds, *, cwd: str, env: dict[str, str]
    ) -> Started:
        try:
            started = await self.runner.launch(spec, ends, cwd=cwd, env=env)
        except RunnerUnavailable as exc:
            log.warning("%s; running cold instead", exc)
            self.used = "cold"
            return await self.cold.launch(spec, ends, cwd=cwd, env=env)
        self.used = "warm"
        return started


_runners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, WarmRunner]] = (
    weakref.WeakKeyDictionary()
)


def warm_runner(python: str, *, site_first: bool = False) -> WarmRunner:
    """The running event loop's runner for interpreter `python` (one per interpreter and
    way of processing its site-packages)."""
    runners = _runners.setdefault(asyncio.get_running_loop(), {})
    key = f"{python}\0{'site' if site_first else 'confined'}"
    runner = runners.get(key)
    if runner is None:
        runner = runners[key] = WarmRunner(python, site_first=site_first)
    return runner


def stop_warm_runners() -> None:
    """Stop every runner of the running event loop (the server calls this at shutdown)."""
    for runner in _runners.pop(asyncio.get_running_loop(), {}).values():
        runner.stop()
