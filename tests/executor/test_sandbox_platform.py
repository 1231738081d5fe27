"""What this machine can enforce, found independently of the sandbox, and the report's truth.

The other sandbox tests skip what the platform lacks by asking the kernel here, in the
test process, never the sandbox's own report: a sandbox that silently stopped enforcing
would then fail the tests instead of skipping them.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from pathlib import Path

import pytest

from scriptcontract.executor import SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

LINUX = sys.platform.startswith("linux")
SECCOMP_ARCHES = ("x86_64", "aarch64")


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when it has none (or it is disabled)."""
    if not LINUX or platform.machine() not in SECCOMP_ARCHES:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(ctypes.c_long(444), None, ctypes.c_long(0), ctypes.c_long(1))
    return max(int(version), 0)


def has_seccomp() -> bool:
    if not LINUX or platform.machine() not in SECCOMP_ARCHES:
        return False
    status = Path("/proc/self/status").read_text()
    return "Seccomp:" in status


LANDLOCK_ABI = landlock_abi()
SECCOMP = has_seccomp()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def needs_landlock(abi: int = 1) -> pytest.MarkDecorator:
    have = LANDLOCK_ABI or "none"
    return pytest.mark.skipif(
        abi > LANDLOCK_ABI, reason=f"needs Landlock ABI >= {abi}; this kernel has {have}"
    )


needs_seccomp = pytest.mark.skipif(
    not SECCOMP, reason=f"needs seccomp on x86_64/aarch64 Linux; this is {sys.platform}"
)
needs_linux = pytest.mark.skipif(not LINUX, reason="reads /proc; Linux only")
KERNEL = tuple(int(part) for part in platform.release().split(".")[:2] if part.isdigit())


def call_is_new(since: tuple[int, int]) -> pytest.MarkDecorator:
    """For the positive control of a system call that Linux `since` added: without the
    filter the call must work, which it cannot on an older kernel (ENOSYS)."""
    return pytest.mark.skipif(
        since > KERNEL,
        reason=f"the call is new in Linux {since[0]}.{since[1]}: its positive control "
        "cannot run here",
    )


def attempt_script(statement: str) -> str:
    """A workflow script that tries `statement` and reports whether it was refused.

    Refused means an OSError with EPERM or EACCES (or EXDEV, Landlock's answer to a link
    or rename across its rules), the errors the kernel gives for a denial.
    """
    return f"""
import errno, json, os, socket, sys
try:
    {statement}
except OSError as exc:
    refused = exc.errno in (errno.EPERM, errno.EACCES, errno.EXDEV)
    print(json.dumps({{"success": True, "refused": refused, "error": str(exc)}}))
else:
    print(json.dumps({{"success": True, "refused": False, "error": None}}))
"""


HELLO = """
import json, sys
json.load(sys.stdin)
print(json.dumps({"success": True}))
"""


# What each protection looks like from inside: a report that says "enforced" must agree
# with what the script sees, or a sandbox that stopped enforcing would still pass.
PROBES = """
import json, os, resource, socket, sys
def refused(action):
    try:
        action()
    except OSError:
        return True
    return False
seen = {
    "filesystem": refused(lambda: open("/etc/" + "passwd").close()),
    "syscalls": refused(lambda: socket.socket(socket.AF_UNIX).close()),
    "network": refused(lambda: socket.socket(socket.AF_INET).close()),
    "limits": resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY,
    "signals": refused(lambda: os.kill(os.getppid(), 0)),
}
print(json.dumps({"success": True, "seen": seen}))
"""


@needs_landlock()
@needs_seccomp
async def test_report_lists_every_protection_this_machine_has(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/probes.py", PROBES)
    executor = make_executor(project.root, sandbox=SandboxPolicy(network=False))
    result = await executor.execute_script("scripts/probes.py")
    assert result.success, result.error
    expected = {"filesystem", "network", "syscalls", "limits", "processes"}
    if LANDLOCK_ABI >= 6:
        expected.add("signals")
    assert expected <= set(result.sandbox.enforced)
    assert set(result.sandbox.missing) == {"signals"} - expected
    assert result.sandbox.details["landlock_abi"] == str(LANDLOCK_ABI)
    assert result.sandbox.platform == sys.platform
    # Not the report's word: what the script saw agrees with every claim in it.
    assert result.output is not None
    seen = result.output["seen"]
    for name in expected - {"processes"}:
        assert seen[name] is True, (name, seen)


@needs_landlock()
async def test_report_says_what_the_policy_turned_off(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/probes.py", PROBES)
    policy = SandboxPolicy(filesystem=False, syscalls=False)
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/probes.py")
    assert result.success, result.error
    assert {"filesystem", "syscalls"} <= set(result.sandbox.missing)
    assert result.sandbox.details["filesystem"] == "off in the policy"
    assert result.sandbox.details["syscalls"] == "off in the policy"
    assert "filesystem" not in result.sandbox.enforced
    # With the network allowed there is nothing to enforce or miss about it.
    assert "network" not in result.sandbox.enforced + result.sandbox.missing
    # And what was turned off is off indeed: the script reads /etc/passwd, makes sockets.
    assert result.output is not None
    seen = result.output["seen"]
    assert (seen["filesystem"], seen["syscalls"], seen["network"]) == (False, False, False)


async def test_disabled_sandbox_enforces_nothing(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/hello.py", HELLO)
    policy = SandboxPolicy(enabled=False)
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/hello.py")
    assert result.success, result.error
    assert result.sandbox.enforced == []
    assert result.sandbox.details["disabled"] == "sandbox disabled by policy"
