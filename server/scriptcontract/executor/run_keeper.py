"""Cold runs die with their executor: one keeper process per executor kills them if it dies.

The kernel kills a process when its parent dies only if that process asked, and only that
process: the children a script starts would live on, sleeping past every timeout, once the
executor is gone (killed, crashed, a terminal closed under `scriptcontract run`). So each
event loop that starts cold runs starts one small keeper process (`keeper_main.py`), and
tells it, through a pipe only the executor holds, the process group of each cold run as it
starts and ends. When the executor dies, the pipe ends and the keeper kills every group
still registered. Warm runs have the warm runner for keeper (zygote.py).

One keeper per process, not per event loop: it needs no loop (a registration is one short
write to a pipe, atomic below PIPE_BUF, from any thread), and a process that makes many
loops (a test suite) would otherwise pile them up.

One process for all the runs of an executor, started once: a keeper per run (a fork of each
run's first process) cost ~4 ms a run in copied pages. A run registered before the keeper
is up is read from the pipe when it is.

A run no keeper holds is not started (`NoKeeper`): it could outlive the executor, and with
it whatever it started, past every timeout. Deny by default: the keeper is our own small
process, so it failing to start (no process or memory left) is rare, and a clear refusal
then beats a run nobody would stop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

KEEPER = Path(__file__).with_name("keeper_main.py")


class NoKeeper(OSError):
    """No keeper holds the run, which is therefore not started."""


class RunKeeper:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._failure = ""  # why the last start or write failed
        self._pipe: list[int] = []  # the write end, while open (closed once, by `_close`)
        self._lock = threading.Lock()  # runs may start from several threads' loops

    @property
    def pid(self) -> int | None:
        """The keeper's process id while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", str(KEEPER)],
                stdin=read,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd="/",
                env={"PATH": os.defpath},
                # Its own session: a signal to the executor's group does not reach it.
                start_new_session=True,
            )
        except OSError as exc:
            os.close(write)
            self._failure = f"the keeper could not start: {exc}"
            log.warning("no keeper for cold runs (none is started): %s", exc)
            return
        finally:
            os.close(read)
        self._pipe = [write]

    def keep(self, pgid: int) -> None:
        """Register a cold run's process group: it dies if this process does. Raises
        `NoKeeper` when no keeper holds it: the run must not go ahead."""
        if not self._send(f"+{pgid}\n"):
            raise NoKeeper(
                "no process to stop the run should this one die, so it was not started "
                f"({self._failure})"
            )

    def release(self, pgid: int) -> None:
        self._send(f"-{pgid}\n")

    def _send(self, line: str) -> bool:
        """Whether a keeper took `line`."""
        with self._lock:
            if not self._pipe or self._proc is None or self._proc.poll() is not None:
                _close(self._pipe)
                self._start()
            if not self._pipe:
                return False
            try:
                os.write(self._pipe[0], line.encode("ascii"))
            except OSError as exc:  # the keeper died: the next run starts a new one
                self._failure = f"the keeper is gone: {exc}"
                log.warning("the keeper of cold runs is gone: %s", exc)
                _close(self._pipe)
                return False
            return True

    def stop(self) -> None:
        """End the keeper (its end of file: it kills what is still registered, and exits)."""
        if self._proc is not None:
            _end(self._proc, self._pipe)


def _close(pipe: list[int]) -> None:
    while pipe:
        with contextlib.suppress(OSError):
            os.close(pipe.pop())


def _end(proc: subprocess.Popen[bytes], pipe: list[int]) -> None:
    _close(pipe)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=1)


_keeper = RunKeeper()


def run_keeper() -> RunKeeper:
    """This process's keeper of cold runs (started with the first one)."""
    return _keeper
