"""The caps count what the kernel counts: a process whose main thread has exited is alive
while its other threads run, and each thread counts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from scriptcontract.executor.process_group import group_usage, live_members
from tests.executor.test_sandbox_platform import needs_linux
from tests.procs import process

pytestmark = needs_linux

# Three threads sleep on while the main thread leaves through the bare exit system call.
MAIN_THREAD_EXITS = """
import ctypes, os, platform, sys, threading, time
for _ in range(3):
    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
print("ready", flush=True)
ctypes.CDLL(None).syscall({"x86_64": 60, "aarch64": 93}[platform.machine()], 0)
"""


def test_a_process_whose_main_thread_exited_counts_with_its_threads() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN_THREAD_EXITS], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        deadline = time.monotonic() + 10
        seen = process(proc.pid)
        while seen is not None and seen.state != "Z" and time.monotonic() < deadline:
            time.sleep(0.02)
            seen = process(proc.pid)
        # The positive control: by its state letter, the process is already dead.
        assert seen is not None and seen.state == "Z"
        assert group_usage({proc.pid}) == {proc.pid: (1, 3)}
        assert live_members(proc.pid) == [proc.pid]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert group_usage({proc.pid}) == {}
