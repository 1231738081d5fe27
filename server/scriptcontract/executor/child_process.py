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

from scriptcontract.executor.group_watch import group_watch
from scriptcontract.executor.launch import ChildEnds, Launcher
from scriptcontract.executor.process_group import kill_group

READ_CHUNK = 64 * 1024
REPORT_LIMIT = 1024 * 1024
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
    report: bytes = b""
    timed_out: bool = False
    stopped_by: str | None = None  # "stdout", "stderr" (flood) or "processes"
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


async def _pump(stream: asyncio.StreamReader | None, capture: _Capture) -> None:
    if stream is None:
        return
    while chunk := await stream.read(READ_CHUNK):
        capture.add(chunk)


async def _feed(stream: asyncio.StreamWriter | None, data: bytes) -> None:
    if stream is None:
        return
    # A script that never reads its stdin, or exits early, must not stall or fail the run.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
        stream.write(data)
        await stream.drain()
    with contextlib.suppress(Exception):
        stream.close()
        await stream.wait_closed()


async def _reader(pipe: IO[bytes]) -> tuple[asyncio.StreamReader, asyncio.BaseTransport]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=READ_CHUNK)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    return reader, transport


async def _writer(pipe: IO[bytes]) -> tuple[asyncio.StreamWriter, asyncio.BaseTransport]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, pipe)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return writer, transport


def _pipes() -> tuple[ChildEnds, tuple[int, int, int, int]]:
    """The four pipes of a run: the child's ends, and ours (stdin, stdout, stderr, report)."""
    fds: list[int] = []
    try:
        for _ in range(4):
            fds.extend(os.pipe())
    except OSError:
        for fd in fds:
            os.close(fd)
        raise
    in_r, in_w, out_r, out_w, err_r, err_w, rep_r, rep_w = fds
    return ChildEnds(stdin=in_r, stdout=out_w, stderr=err_w, report=rep_w), (
        in_w,
        out_r,
        err_r,
        rep_r,
    )


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
    max_processes: int | None,
) -> ChildOutcome:
    """Start the bootstrap with `spec` through `launcher` and see the run through to the end."""
    outcome = ChildOutcome()
    stop = asyncio.Event()

    def stop_for(reason: str) -> Callable[[], None]:
        def fire() -> None:
            if outcome.stopped_by is None:
                outcome.stopped_by = reason
            stop.set()

        return fire

    stdout = _Capture(stdout_limit, stop_for("stdout"))
    stderr = _Capture(stderr_limit, stop_for("stderr"))
    report = _Capture(REPORT_LIMIT, None)

    try:
        ends, ours = _pipes()
    except OSError as exc:
        outcome.spawn_error = exc
        return outcome
    child_ends = [ends.stdin, ends.stdout, ends.stderr, ends.report]
    watch = group_watch()
    tasks: list[asyncio.Future[None]] = []
    transports: list[asyncio.BaseTransport] = []
    # File objects own our ends from here on: closing one twice is harmless, closing a bare
    # fd twice could close a descriptor another run has been given meanwhile.
    in_w, out_r, err_r, rep_r = ours
    stdin_pipe = os.fdopen(in_w, "wb", buffering=0)
    pipes = [stdin_pipe, *(os.fdopen(fd, "rb", buffering=0) for fd in (out_r, err_r, rep_r))]
    pgid: int | None = None
    try:
        # Readers and the stdin feed are ready before the child exists: once it starts, this
        # process has nothing left to do that would compete with it for a CPU.
        readers = []
        for pipe in pipes[1:]:
            reader, transport = await _reader(pipe)
            readers.append(reader)
            transports.append(transport)
        in_writer, transport = await _writer(stdin_pipe)
        transports.append(transport)
        out_reader, err_reader, rep_reader = readers
        tasks = [
            asyncio.ensure_future(_pump(out_reader, stdout)),
            asyncio.ensure_future(_pump(err_reader, stderr)),
            asyncio.ensure_future(_pump(rep_reader, report)),
            asyncio.ensure_future(_feed(in_writer, stdin_data)),
        ]
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
        if max_processes is not None:
            watch.watch(pgid, max_processes, stop_for("processes"))
        exited = asyncio.ensure_future(started.wait())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait(
                {exited, stopped}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stopped.cancel()
        if not exited.done() and outcome.stopped_by is None:
            outcome.timed_out = True
            await _ask_for_stacks(pgid, report)
        outcome.survivors = not await kill_group(pgid)
        outcome.returncode = await exited
        outcome.elapsed_ms = (time.monotonic() - started_at) * 1000
        _done, pending = await asyncio.wait(tasks[:3], timeout=DRAIN_GRACE_S)
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
        for fd in child_ends:
            os.close(fd)
        for task in tasks:
            task.cancel()
        # Closes the pipes a survivor may still hold, so no reader or fd outlives the run.
        for transport in transports:
            transport.close()
        for pipe in pipes:
            pipe.close()
    outcome.stdout, outcome.stdout_truncated = stdout.data(), stdout.truncated
    outcome.stderr, outcome.stderr_truncated = stderr.data(), stderr.truncated
    outcome.report = report.data()
    return outcome


async def _ask_for_stacks(pid: int, report: _Capture) -> None:
    """SIGUSR1 makes the bootstrap's faulthandler write every thread's stack to the report."""
    before = report.size
    try:
        os.kill(pid, signal.SIGUSR1)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + STACK_DUMP_GRACE_S
    while time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        if report.size > before:
            await asyncio.sleep(0.01)  # the dump is written in a few pieces
            return
