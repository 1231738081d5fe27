"""No escape from the kill: setsid, double forks, fork bombs, ptrace, signals to the executor."""

from __future__ import annotations

import errno

import pytest

from scriptcontract.executor import PythonExecutor, SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import (
    attempt_script,
    needs_landlock,
    needs_linux,
    needs_seccomp,
)
from tests.procs import live_in_group, live_pids

pytestmark = needs_linux


def recorded_pids(project: Project) -> list[int]:
    path = project.root / "scripts/pids.txt"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


@needs_seccomp
async def test_setsid_daemon_and_double_fork_leave_nothing_after_timeout(
    project: Project, executor: PythonExecutor
) -> None:
    project.write(
        "scripts/daemon.py",
        """
        import os, sys, time

        def record():
            with open("scripts/pids.txt", "a") as handle:
                handle.write(f"{os.getpid()}\\n")

        record()
        if os.fork() == 0:                      # the classic daemon: fork, setsid, fork
            try:
                os.setsid()
            except PermissionError:
                print("setsid refused", file=sys.stderr, flush=True)
            if os.fork() == 0:
                record()
                time.sleep(300)
            os._exit(0)
        time.sleep(300)
        """,
    )
    result = await executor.execute_script("scripts/daemon.py", timeout_ms=1500)
    assert result.timed_out
    assert "setsid refused" in result.stderr
    pids = recorded_pids(project)
    assert len(pids) == 2
    assert live_pids(pids) == []


# A statement cannot raise: this lets one.
RAISE = """
def _raise(exc):
    raise exc
"""


# In a forked child: the script's own process may lead its session or group already, where
# setpgid and setsid are refused with or without the filter.
IN_A_CHILD = """
import json, os
pid = os.fork()
if pid == 0:
    try:
        {call}
    except OSError as exc:
        os._exit(exc.errno)
    os._exit(0)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print(json.dumps({{"success": True, "errno": code}}))
"""


@needs_seccomp
@pytest.mark.parametrize("call", ["os.setpgid(0, 0)", "os.setsid()"])
async def test_leaving_the_process_group_is_refused(
    project: Project, make_executor: MakeExecutor, call: str
) -> None:
    project.write("scripts/attempt.py", IN_A_CHILD.format(call=call))
    refused = await make_executor(project.root).execute_script("scripts/attempt.py")
    assert refused.output == {"success": True, "errno": errno.EPERM}, refused.error
    # The positive control: without the filter, the same child leaves the group.
    unfiltered = make_executor(project.root, sandbox=SandboxPolicy(syscalls=False))
    result = await unfiltered.execute_script("scripts/attempt.py")
    assert result.output == {"success": True, "errno": 0}, result.error


async def test_fork_bomb_is_contained_and_leaves_no_process(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write(
        "scripts/bomb.py",
        """
        import os, time
        with open("scripts/pids.txt", "w") as handle:
            handle.write(f"{os.getpid()}\\n")
        for _ in range(9):  # up to 512 processes, doubling as fast as fork allows
            try:
                os.fork()
            except OSError:
                pass
        time.sleep(60)
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(max_processes=16))
    result = await executor.execute_script("scripts/bomb.py", timeout_ms=20000)
    assert not result.success
    assert result.error_type == "ProcessLimitExceeded"
    assert result.error == "Script started more than 16 processes at once; the run was stopped"
    assert "processes" in result.sandbox.enforced
    (leader,) = recorded_pids(project)
    assert live_in_group(leader) == []


@needs_seccomp
async def test_ptrace_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    project.write(
        "scripts/tracer.py",
        """
        import ctypes, json, os, time
        libc = ctypes.CDLL(None, use_errno=True)
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
        attached = libc.ptrace(ctypes.c_long(16), ctypes.c_long(child), None, None) == 0
        error = os.strerror(ctypes.get_errno())
        os.kill(child, 9)
        print(json.dumps({"success": True, "attached": attached, "error": error}))
        """,
    )
    result = await executor.execute_script("scripts/tracer.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "attached": False, "error": "Operation not permitted"}
    # The positive control: without the filter, the script traces its own child.
    unfiltered = make_executor(project.root, sandbox=SandboxPolicy(syscalls=False))
    result = await unfiltered.execute_script("scripts/tracer.py")
    assert result.output is not None, (result.error, result.stderr)
    assert result.output["attached"] is True, result.output


@needs_seccomp
async def test_new_namespaces_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    # unshare(CLONE_NEWUSER): the door to "root" inside a user namespace.
    statement = (
        "import ctypes; libc = ctypes.CDLL(None, use_errno=True); "
        "libc.unshare(0x10000000) == -1 and _raise(OSError(ctypes.get_errno(), 'unshare'))"
    )
    project.write("scripts/attempt.py", RAISE + attempt_script(statement))
    result = await executor.execute_script("scripts/attempt.py")
    assert result.output is not None
    assert result.output["refused"] is True, result.output
    # The positive control: without the filter, the namespace is made.
    unfiltered = make_executor(project.root, sandbox=SandboxPolicy(syscalls=False))
    result = await unfiltered.execute_script("scripts/attempt.py")
    assert result.output == {"success": True, "refused": False, "error": None}, result.error


@needs_landlock(6)
async def test_signalling_the_executor_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    # Signal 0 checks the permission and delivers nothing: safe even if it were allowed.
    project.write("scripts/attempt.py", attempt_script("os.kill(os.getppid(), 0)"))
    result = await executor.execute_script("scripts/attempt.py")
    assert result.output is not None
    assert result.output["refused"] is True, result.output
    assert "signals" in result.sandbox.enforced
    # The positive control: with the sandbox off (Landlock's signal scope has no switch of
    # its own), the same signal reaches the parent.
    unconfined = make_executor(project.root, sandbox=SandboxPolicy(enabled=False))
    result = await unconfined.execute_script("scripts/attempt.py")
    assert result.output == {"success": True, "refused": False, "error": None}, result.error


async def test_script_may_still_signal_its_own_children(
    project: Project, executor: PythonExecutor
) -> None:
    project.write(
        "scripts/parent.py",
        """
        import json, signal, subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        child.send_signal(signal.SIGTERM)
        print(json.dumps({"success": True, "status": child.wait(timeout=10)}))
        """,
    )
    result = await executor.execute_script("scripts/parent.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "status": -15}
