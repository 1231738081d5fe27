"""Run one child process with capped output, a deadline, a process cap and a clean kill.

The child leads its own process group. Whatever ends the run (exit, timeout, output
flood, too many processes, cancellation), every live process of the group is killed
before this returns, and the pipes are read only as long as that takes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from scriptcontract.executor.group_watch import Caps, group_watch
from scriptcontract.executor.launch import ChildEnds, Launcher, Started
from scriptcontract.executor.process_group import kill_group

READ_CHUNK = 64 * 1024
REPORT_LIMIT = 1024 * 1024
STACKS_LIMIT = 256 * 1024
# After the kill, how long the pipes may take to reach EOF (a survivor could hold them).
DRAIN_GRACE_S = 1.0
# How long the child gets to dump its stacks before the timeout kill.
STACK_DUMP_GRACE_S = 0.1


@dataclass
class ChildOutcome:
    returncode: int | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    report: bytes = b""  # the sandbox report, complete (its pipe closed before the script ran)
    stacks: bytes = b""  # stacks dumped before a timeout kill (the script can write here too)
    timed_out: bool = False
    stopped_by: str | None = None  # "stdout", "stderr" (flood), "processes" or "threads"
    elapsed_ms: float = 0.0
    survivors: bool = False
    spawn_error: OSError | None = None
    notes: list[str] = field(default_factory=list)


class _Capture:
    """Collects one stream up to a limit; `on_overflow` fires once when it is passed."""

    def __init__(self, limit: int, on_overflow: Callable[[], None] | None) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False
        self._on_overflow = on_overflow

    def add(self, chunk: bytes) -> None:
        room = self.limit - self.size
        if len(chunk) > room:
            chunk = chunk[: max(room, 0)]
            if not self.truncated:
                self.truncated = True
                if self._on_overflow is not None:
                    self._on_overflow()
        if chunk:
            self.chunks.append(chunk)
            self.size += len(chunk)

    def data(self) -> bytes:
        return b"".join(self.chunks)


class _PipeReader:
    """Reads one pipe into a capture as data comes, straight from the loop's callbacks.

    No transport, protocol or task per pipe: a run reads three pipes and every extra
    callback is paid on the event loop the language server also answers on.
    """

    def __init__(self, pipe: IO[bytes], capture: _Capture) -> None:
        self._loop = asyncio.get_running_loop()
        self._fd = pipe.fileno()
        self._capture = capture
        self.eof: asyncio.Future[None] = self._loop.create_future()
        os.set_blocking(self._fd, False)
        self._loop.add_reader(self._fd, self._read)

    def _read(self) -> None:
        # One read per callback, as asyncio's transports do: a child that writes without
        # pause must not keep the loop in here.
        try:
            chunk = os.read(self._fd, READ_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if chunk:
            self._capture.add(chunk)
        else:
            self.stop()

    def stop(self) -> None:
        """Stop reading (EOF, or the run is over); the pipe itself is closed by its owner."""
        if not self.eof.done():
            self._loop.remove_reader(self._fd)
            self.eof.set_result(None)


class _StdinFeeder:
    """Writes the inputs into the child's stdin, then closes it (EOF for the script).

    Inputs that fit in the pipe are written at once, before the child even exists; the
    rest as the child reads. A script that never reads its stdin, or exits early, must not
    stall or fail the run: write errors end the feed.
    """

    def __init__(self, pipe: IO[bytes], data: bytes) -> None:
        self._loop = asyncio.get_running_loop()
        self._pipe = pipe
        self._fd = pipe.fileno()
        self._rest = memoryview(data)
        self._waiting = False
        os.set_blocking(self._fd, False)
        self._write()

    def _write(self) -> None:
        try:
            self._rest = self._rest[os.write(self._fd, self._rest) :]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:  # the child closed its stdin or is gone
            self._rest = self._rest[:0]
        if self._rest:
            if not self._waiting:
                self._waiting = True
                self._loop.add_writer(self._fd, self._write)
            return
        self.stop()

    def stop(self) -> None:
        if self._waiting:
            self._waiting = False
            self._loop.remove_writer(self._fd)
        self._pipe.close()


def _pipes() -> tuple[ChildEnds, tuple[int, ...]]:
    """The five pipes of a run: the child's ends, and ours (stdin, stdout, stderr, report,
    stacks)."""
    fds: list[int] = []
    try:
        for _ in range(5):
            fds.extend(os.pipe())
    except OSError:
        for fd in fds:
            os.close(fd)
        raise
    in_r, in_w, out_r, out_w, err_r, err_w, rep_r, rep_w, st_r, st_w = fds
    ends = ChildEnds(stdin=in_r, stdout=out_w, stderr=err_w, report=rep_w, stacks=st_w)
    return ends, (in_w, out_r, err_r, rep_r, st_r)


async def run_child(
    launcher: Launcher,
    spec: dict[str, Any],
    *,
    cwd: str,
    env: dict[str, str],
    stdin_data: bytes,
    timeout_s: float,
    stdout_limit: int,
    stderr_limit: int,
    caps: Caps | None,
) -> ChildOutcome:
    """Start the bootstrap with `spec` through `launcher` and see the run through to the end."""
    outcome = ChildOutcome()
    stopped: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def stop_for(reason: str) -> Callable[[], None]:
        def fire() -> None:
            if outcome.stopped_by is None:
                outcome.stopped_by = reason
            if not stopped.done():
                stopped.set_result(None)

        return fire

    stdout = _Capture(stdout_limit, stop_for("stdout"))
    stderr = _Capture(stderr_limit, stop_for("stderr"))
    report = _Capture(REPORT_LIMIT, None)
    stacks = _Capture(STACKS_LIMIT, None)

    try:
        ends, ours = _pipes()
    except OSError as exc:
        outcome.spawn_error = exc
        return outcome
    child_ends = [ends.stdin, ends.stdout, ends.stderr, ends.report, ends.stacks]
    watch = group_watch()
    readers: list[_PipeReader] = []
    feeder: _StdinFeeder | None = None
    # File objects own our ends from here on: closing one twice is harmless, closing a bare
    # fd twice could close a descriptor another run has been given meanwhile.
    in_w, *out_ends = ours
    stdin_pipe = os.fdopen(in_w, "wb", buffering=0)
    pipes = [stdin_pipe, *(os.fdopen(fd, "rb", buffering=0) for fd in out_ends)]
    pgid: int | None = None
    started: Started | None = None
    try:
        # Readers and the stdin feed are ready before the child exists: once it starts, this
        # process has nothing left to do that would compete with it for a CPU.
        for pipe, capture in zip(pipes[1:], (stdout, stderr, report, stacks), strict=True):
            readers.append(_PipeReader(pipe, capture))
        feeder = _StdinFeeder(stdin_pipe, stdin_data)
        started_at = time.monotonic()
        try:
            started = await launcher.launch(spec, ends, cwd=cwd, env=env)
        except OSError as exc:
            outcome.spawn_error = exc
            return outcome
        finally:
            # The child has its copies (or never will): ours would keep the readers from EOF.
            for fd in child_ends:
                os.close(fd)
            child_ends = []
        pgid = started.pid
        if caps is not None:
            watch.watch(pgid, caps, lambda over: stop_for(over)())
        exited = asyncio.ensure_future(started.wait())
        ends_run: set[asyncio.Future[Any]] = {exited, stopped}
        await asyncio.wait(ends_run, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
        if not exited.done() and outcome.stopped_by is None:
            outcome.timed_out = True
            await _ask_for_stacks(pgid, stacks)
        outcome.survivors = not await kill_group(pgid)
        outcome.returncode = await exited
        outcome.elapsed_ms = (time.monotonic() - started_at) * 1000
        # The report's pipe was closed by the bootstrap before the script ran (or with its
        # process): nothing a survivor holds can keep it open.
        _done, pending = await asyncio.wait([r.eof for r in readers], timeout=DRAIN_GRACE_S)
        if pending:
            outcome.notes.append("output pipes stayed open after the kill; stopped reading")
    except BaseException:
        # Cancelled (or failed): nothing of the run may outlive this call.
        if pgid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
            await asyncio.shield(kill_group(pgid))
        raise
    finally:
        if pgid is not None:
            watch.unwatch(pgid)
        if started is not None:
            started.done()
        for fd in child_ends:
            os.close(fd)
        # Stops reading and writing the pipes a survivor may still hold, and closes them, so
        # no callback or fd outlives the run.
        for reader in readers:
            reader.stop()
        if feeder is not None:
            feeder.stop()
        for pipe in pipes:
            pipe.close()
    outcome.stdout, outcome.stdout_truncated = stdout.data(), stdout.truncated
    outcome.stderr, outcome.stderr_truncated = stderr.data(), stderr.truncated
    outcome.report = report.data()
    outcome.stacks = stacks.data()
    return outcome


async def _ask_for_stacks(pid: int, stacks: _Capture) -> None:
    """SIGUSR1 makes the bootstrap's faulthandler write every thread's stack to its pipe."""
    before = stacks.size
    try:
        os.kill(pid, signal.SIGUSR1)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + STACK_DUMP_GRACE_S
    while time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        if stacks.size > before:
            await asyncio.sleep(0.01)  # the dump is written in a few pieces
            return
