"""rlimits: memory, file size, open files and CPU hold, and a script cannot lift them."""

from __future__ import annotations

import pytest

from scriptcontract.executor import SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import IS_ROOT, LINUX, needs_linux

pytestmark = pytest.mark.skipif(not LINUX, reason="rlimits are only known to hold on Linux")


async def test_memory_bomb_is_contained(project: Project, make_executor: MakeExecutor) -> None:
    project.write(
        "scripts/hog.py",
        """
        import json
        blocks = []
        for _ in range(2 * 256 // 16):  # twice the limit, then a result: a broken limit shows
            blocks.append(bytearray(16 * 1024 * 1024))  # touched: real memory, not a promise
        print(json.dumps({"success": True}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(memory_mb=256))
    result = await executor.execute_script("scripts/hog.py", timeout_ms=20000)
    assert not result.success
    assert not result.timed_out
    assert result.error_type == "MemoryError"
    assert "limits" in result.sandbox.enforced


async def test_file_size_limit(project: Project, make_executor: MakeExecutor) -> None:
    project.write(
        "scripts/big.py",
        """
        import json, os
        try:
            with open("scripts/big.bin", "wb") as handle:
                for _ in range(4):
                    handle.write(b"x" * 1024 * 1024)
            error = None
        except OSError as exc:
            error = exc.errno
        print(json.dumps({"success": True, "errno": error}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(file_size_mb=1))
    result = await executor.execute_script("scripts/big.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "errno": 27}  # EFBIG: File too large
    assert (project.root / "scripts/big.bin").stat().st_size <= 1024 * 1024
    # The positive control: under a larger limit the same script writes all 4 MiB.
    roomy = make_executor(project.root, sandbox=SandboxPolicy(file_size_mb=8))
    result = await roomy.execute_script("scripts/big.py")
    assert result.output == {"success": True, "errno": None}, (result.error, result.stderr)
    assert (project.root / "scripts/big.bin").stat().st_size == 4 * 1024 * 1024


async def test_limits_cannot_be_raised_even_by_root(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write(
        "scripts/lift.py",
        """
        import json, resource
        lifted = []
        for name in ("RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CPU"):
            limit = getattr(resource, name)
            try:
                resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                lifted.append(name)
            except (OSError, ValueError):
                pass
        print(json.dumps({"success": True, "lifted": lifted,
                          "nofile": resource.getrlimit(resource.RLIMIT_NOFILE),
                          "cpu": resource.getrlimit(resource.RLIMIT_CPU)}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(open_files=64, cpu_margin_s=3))
    result = await executor.execute_script("scripts/lift.py", timeout_ms=4500)
    assert result.success, (result.error, result.stderr)
    # CPU seconds: the timeout rounded up plus the margin (SIGXCPU), one more for SIGKILL.
    expected = {"success": True, "lifted": [], "nofile": [64, 64], "cpu": [8, 9]}
    assert result.output == expected
    # The positive control: with the sandbox off, the same script lifts the address-space
    # limit (unlimited for a process nobody limited, so a user may "raise" it too).
    unconfined = make_executor(project.root, sandbox=SandboxPolicy(enabled=False))
    result = await unconfined.execute_script("scripts/lift.py")
    assert result.output is not None, (result.error, result.stderr)
    assert "RLIMIT_AS" in result.output["lifted"], result.output


async def test_open_files_limit(project: Project, make_executor: MakeExecutor) -> None:
    project.write(
        "scripts/fds.py",
        """
        import json
        handles = []
        try:
            while True:
                handles.append(open(__file__))
        except OSError as exc:
            print(json.dumps({"success": True, "opened": len(handles), "errno": exc.errno}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(open_files=64))
    result = await executor.execute_script("scripts/fds.py")
    assert result.success, (result.error, result.stderr)
    assert result.output is not None
    assert result.output["errno"] == 24  # EMFILE
    assert result.output["opened"] < 64


async def test_no_core_dumps(project: Project, make_executor: MakeExecutor) -> None:
    project.write(
        "scripts/core.py",
        """
        import json, resource
        print(json.dumps({"success": True, "core": resource.getrlimit(resource.RLIMIT_CORE)}))
        """,
    )
    result = await make_executor(project.root).execute_script("scripts/core.py")
    assert result.output == {"success": True, "core": [0, 0]}


@needs_linux
@pytest.mark.skipif(IS_ROOT, reason="RLIMIT_NPROC does not bind root; the watchdog does")
async def test_process_count_limit_for_a_normal_user(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write(
        "scripts/nproc.py",
        """
        import json, resource
        print(json.dumps({"success": True, "nproc": resource.getrlimit(resource.RLIMIT_NPROC)}))
        """,
    )
    result = await make_executor(project.root).execute_script("scripts/nproc.py")
    assert result.success, (result.error, result.stderr)
    assert result.output is not None
    soft, hard = result.output["nproc"]
    assert soft == hard == int(result.sandbox.details["nproc"])


@needs_linux
async def test_no_capabilities_left_in_the_script_or_what_it_executes(
    project: Project, make_executor: MakeExecutor
) -> None:
    # Root keeps CAP_SYS_RESOURCE (lift any limit), CAP_NET_RAW, CAP_SYS_ADMIN... otherwise,
    # and without no_new_privs an exec as root would grant them all again.
    project.write(
        "scripts/caps.py",
        """
        import json, subprocess, sys

        # The child cannot read its own /proc/self (only the script's entry is allowed):
        # it asks the kernel with capget() and prctl(PR_GET_NO_NEW_PRIVS).
        READ = (
            "import ctypes, json, struct; libc = ctypes.CDLL(None); "
            "header = ctypes.create_string_buffer(struct.pack('Ii', 0x20080522, 0)); "
            "data = ctypes.create_string_buffer(24); "
            "assert libc.capget(header, data) == 0; "
            "words = struct.unpack('6I', data.raw); "
            "print(json.dumps({'effective': words[0] | words[3], 'permitted': words[1] | words[4], "
            "'no_new_privs': libc.prctl(39, 0, 0, 0, 0)}))"
        )
        mine = json.loads(subprocess.run([sys.executable, "-c", READ], capture_output=True,
                                         text=True, check=True).stdout)
        print(json.dumps({"success": True, "child": mine}))
        """,
    )
    result = await make_executor(project.root).execute_script("scripts/caps.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {
        "success": True,
        "child": {"effective": 0, "permitted": 0, "no_new_privs": 1},
    }
    assert result.sandbox.details["capabilities"] == "dropped"
