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
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

from scriptcontract.executor.group_watch import group_watch
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


async def _wait_exit(proc: subprocess.Popen[bytes]) -> int:
    """The exit status, without waiting for the pipes (a grandchild may hold them open)."""
    loop = asyncio.get_running_loop()
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(proc.pid)
        except OSError:
            pidfd = -1
        if pidfd >= 0:
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
            return proc.wait()
    return await loop.run_in_executor(None, proc.wait)


async def run_child(
    build_argv: Callable[[int], Sequence[str]],
    *,
    cwd: str,
    env: dict[str, str],
    stdin_data: bytes,
    timeout_s: float,
    stdout_limit: int,
    stderr_limit: int,
    max_processes: int | None,
) -> ChildOutcome:
    """Run the command `build_argv(report_fd)` gives; the child inherits `report_fd`."""
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

    report_r, report_w = os.pipe()
    started = time.monotonic()
    try:
        # Popen, not asyncio's subprocess: asyncio's wait() also waits for the pipes to
        # close, which a leftover grandchild can delay forever.
        proc = subprocess.Popen(
            build_argv(report_w),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
            pass_fds=(report_w,),
        )
    except OSError as exc:
        os.close(report_r)
        outcome.spawn_error = exc
        return outcome
    finally:
        os.close(report_w)

    pgid = proc.pid
    watch = group_watch()
    tasks: list[asyncio.Future[None]] = []
    transports: list[asyncio.BaseTransport] = []
    try:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        out_reader, out_transport = await _reader(proc.stdout)
        err_reader, err_transport = await _reader(proc.stderr)
        rep_reader, rep_transport = await _reader(os.fdopen(report_r, "rb", buffering=0))
        in_writer, in_transport = await _writer(proc.stdin)
        transports = [out_transport, err_transport, rep_transport, in_transport]
        tasks = [
            asyncio.ensure_future(_pump(out_reader, stdout)),
            asyncio.ensure_future(_pump(err_reader, stderr)),
            asyncio.ensure_future(_pump(rep_reader, report)),
            asyncio.ensure_future(_feed(in_writer, stdin_data)),
        ]
        if max_processes is not None:
            watch.watch(pgid, max_processes, stop_for("processes"))
        exited = asyncio.ensure_future(_wait_exit(proc))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait(
                {exited, stopped}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stopped.cancel()
        if not exited.done() and outcome.stopped_by is None:
            outcome.timed_out = True
            await _ask_for_stacks(proc.pid, report)
        outcome.survivors = not await kill_group(pgid)
        outcome.returncode = await exited
        outcome.elapsed_ms = (time.monotonic() - started) * 1000
        _done, pending = await asyncio.wait(tasks[:3], timeout=DRAIN_GRACE_S)
        if pending:
            outcome.notes.append("output pipes stayed open after the kill; stopped reading")
    except BaseException:
        # Cancelled (or failed): nothing of the run may outlive this call.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        await asyncio.shield(kill_group(pgid))
        with contextlib.suppress(Exception):
            proc.wait(timeout=1)
        raise
    finally:
        watch.unwatch(pgid)
        for task in tasks:
            task.cancel()
        # Closes the pipes a survivor may still hold, so no reader or fd outlives the run.
        for transport in transports:
            transport.close()
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
