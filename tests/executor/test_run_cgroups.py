"""A control group per run, where one can be made: the memory and the tasks of the whole
run are counted together by the kernel.

Each limit is shown twice: with the group, where the run is held to it, and without it
(`cgroup = false`, the positive control), where the very same script gets past it,
since rlimits count one process at a time.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scriptcontract.executor import SandboxPolicy, cgroups
from scriptcontract.executor.cgroups import hierarchies
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

USABLE = {c for h in hierarchies() for c in h.controllers}
needs_memory = pytest.mark.skipif("memory" not in USABLE, reason="no memory cgroup to make here")
needs_pids = pytest.mark.skipif("pids" not in USABLE, reason="no pids cgroup to make here")

# Three processes of 120 MiB each: within a per-process limit of 256 MiB, not together.
TOGETHER = """
import json, os
children = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        block = b"\\1" * (120 << 20)
        import time; time.sleep(1)
        os._exit(0)
    children.append(pid)
mine = b"\\1" * (150 << 20)
killed = sum(os.WIFSIGNALED(os.waitpid(pid, 0)[1]) for pid in children)
print(json.dumps({"success": True, "killed": killed}))
"""

THREADS = """
import json, threading, time
threading.stack_size(64 * 1024)
stop = threading.Event()
started = 0
try:
    for _ in range(200):
        threading.Thread(target=stop.wait, daemon=True).start()
        started += 1
except RuntimeError:
    pass
time.sleep(0.5)
stop.set()
print(json.dumps({"success": True, "started": started}))
"""


@needs_memory
async def test_the_memory_of_a_run_is_limited_in_total(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/together.py", TOGETHER)
    limited = SandboxPolicy(memory_mb=256, cgroup=True)
    result = await make_executor(project.root, sandbox=limited).execute_script(
        "scripts/together.py"
    )
    assert "memory 256 MiB" in result.sandbox.details.get("cgroup", ""), result.sandbox.details
    # The kernel killed a process of the run: a child (the script saw it), or the script.
    killed_a_child = result.success and result.output and result.output["killed"] >= 1
    assert killed_a_child or result.error_type == "MemoryLimitExceeded", (
        result.error,
        result.output,
    )
    # The positive control: without the group, each process is within its own limit.
    unlimited = SandboxPolicy(memory_mb=256, cgroup=False)
    result = await make_executor(project.root, sandbox=unlimited).execute_script(
        "scripts/together.py"
    )
    assert result.output == {"success": True, "killed": 0}, (result.error, result.stderr[-500:])


@needs_pids
async def test_the_tasks_of_a_run_are_limited_by_the_kernel(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/threads.py", THREADS)
    capped = SandboxPolicy(max_threads=32, cgroup=True)
    result = await make_executor(project.root, sandbox=capped).execute_script("scripts/threads.py")
    assert result.success, (result.error, result.stderr[-500:])
    assert result.output is not None and 20 <= result.output["started"] < 32
    # The positive control: without the group, the threads start, and only the watchdog
    # (which looks every 50 ms) stops the run afterwards.
    uncapped = SandboxPolicy(max_threads=32, cgroup=False)
    result = await make_executor(project.root, sandbox=uncapped).execute_script(
        "scripts/threads.py"
    )
    assert result.error_type == "ThreadLimitExceeded", (result.error, result.output)


@pytest.mark.skipif(not hierarchies(), reason="no cgroup to make here")
def test_groups_left_by_a_dead_executor_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    parent = hierarchies()[0].parent
    stale = parent / f"scriptcontract-{dead.stdout.strip()}-1"
    alive = parent / f"scriptcontract-{os.getpid()}-999999"
    stale.mkdir()
    alive.mkdir()
    try:
        monkeypatch.setattr(cgroups, "_discovered", None)
        cgroups.hierarchies()
        assert not stale.exists()
        assert alive.exists()  # the positive control: a live executor's group stays
    finally:
        for path in (stale, alive):
            if path.exists():
                path.rmdir()
