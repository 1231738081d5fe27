"""Files a run may only read: it opens them, and changes nothing of them through the descriptor.

Landlock lets a run open the protected paths, `read-paths`, the interpreter's folders and
(as root) the system's files for reading, and checks nothing done through that descriptor
afterwards. The system-call filter refuses what would change them, or other processes'
access to them, through a descriptor opened for reading: an owner (`fchown`, which clears
the setuid bit even when it changes nothing else), a lease (`F_SETLEASE`: everyone else's
open waits for it), and a file's flags (`FS_IOC_SETFLAGS`). Each attack is first shown
working with the filter off (the positive control, Landlock still on), then refused with it,
the file as the test sees it from outside unchanged.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest

from scriptcontract.executor import SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import needs_landlock, needs_seccomp

pytestmark = [needs_landlock(), needs_seccomp]

ATTEMPT = r"""
import errno, fcntl, json, os, signal, sys, time
TARGET = json.load(sys.stdin)["target"]

def attempt():
    fd = os.open(TARGET, os.O_RDONLY)
    %s

try:
    attempt()
except OSError as exc:
    outcome = errno.errorcode.get(exc.errno, str(exc.errno))
else:
    outcome = "ok"
print(json.dumps({"success": True, "outcome": outcome}))
"""


async def _attempt(
    project: Project, make_executor: MakeExecutor, code: str, target: Path, *, syscalls: bool
) -> str:
    project.write("scripts/attempt.py", ATTEMPT % code)
    executor = make_executor(
        project.root, sandbox=SandboxPolicy(syscalls=syscalls, read_paths=[str(target)])
    )
    result = await executor.execute_script("scripts/attempt.py", {"target": str(target)})
    assert result.success, (result.error, result.stderr[-2000:])
    assert ("syscalls" in result.sandbox.enforced) == syscalls
    assert result.output is not None
    outcome: str = result.output["outcome"]
    return outcome


def _setuid_file(tmp_path: Path) -> Path:
    """A setuid program of the test's user outside the project, which runs may read."""
    program = tmp_path / "outside" / "tool"
    program.parent.mkdir(exist_ok=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o4755)
    return program


async def test_a_run_cannot_clear_the_setuid_bit_of_a_file_it_may_only_read(
    project: Project, make_executor: MakeExecutor, tmp_path: Path
) -> None:
    # fchown to the same owner and group changes no owner, but clears the setuid bit.
    code = "os.fchown(fd, -1, -1)"
    program = _setuid_file(tmp_path)
    outcome = await _attempt(project, make_executor, code, program, syscalls=False)
    assert outcome == "ok"
    assert stat.S_IMODE(program.stat().st_mode) == 0o755  # the positive control

    program = _setuid_file(tmp_path)
    outcome = await _attempt(project, make_executor, code, program, syscalls=True)
    assert outcome == "EPERM"
    assert stat.S_IMODE(program.stat().st_mode) == 0o4755


FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_NODUMP_FL = 0x80086601, 0x40086602, 0x40


def _flags(path: Path, add: int = 0) -> int:
    """The file's flags (chattr's), after adding `add` to them when it is not 0."""
    fd = os.open(path, os.O_RDONLY)
    try:
        flags = bytearray(8)
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
        if add:
            new = int.from_bytes(flags, sys.byteorder) | add
            fcntl.ioctl(fd, FS_IOC_SETFLAGS, new.to_bytes(8, sys.byteorder))
            fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
        return int.from_bytes(flags, sys.byteorder)
    finally:
        os.close(fd)


def _file_flags() -> bool:
    """Whether the file system the tests write to keeps a file's flags (ext4, XFS, btrfs,
    tmpfs do): asked of the kernel once, when the tests are collected."""
    if not sys.platform.startswith("linux"):
        return False
    with tempfile.NamedTemporaryFile() as probe:
        try:
            return _flags(Path(probe.name), add=FS_NODUMP_FL) & FS_NODUMP_FL != 0
        except OSError:
            return False


@pytest.mark.skipif(not _file_flags(), reason="the temp folder's file system keeps no flags")
async def test_a_run_cannot_set_the_flags_of_a_protected_file(
    project: Project, make_executor: MakeExecutor
) -> None:
    # chattr +d on pyproject.toml, which the run may only read: a backup by dump skips it.
    code = (
        "flags = bytearray(8); fcntl.ioctl(fd, 0x80086601, flags, True)\n"
        "    flags[0] |= 0x40; fcntl.ioctl(fd, 0x40086602, bytes(flags))"
    )
    target = project.write("pyproject.toml", "[project]\nname = 'x'\n")
    outcome = await _attempt(project, make_executor, code, target, syscalls=False)
    assert outcome == "ok"
    assert _flags(target) & FS_NODUMP_FL  # the positive control

    target.unlink()  # a new file, without the flag
    target = project.write("pyproject.toml", "[project]\nname = 'x'\n")
    outcome = await _attempt(project, make_executor, code, target, syscalls=True)
    assert outcome == "EPERM"
    assert not _flags(target) & FS_NODUMP_FL


LEASE = r"""
import errno, fcntl, json, os, signal, time
signal.signal(signal.SIGIO, signal.SIG_IGN)  # the kernel's notice of an opener, ignored
fd = os.open("pyproject.toml", os.O_RDONLY)
try:
    fcntl.fcntl(fd, 1024, fcntl.F_WRLCK)  # F_SETLEASE: every other open waits for it
    outcome = "ok"
except OSError as exc:
    outcome = errno.errorcode.get(exc.errno, str(exc.errno))
open("data/leased", "w").close()
deadline = time.monotonic() + 10
while not os.path.exists("data/opened") and time.monotonic() < deadline:
    time.sleep(0.02)
print(json.dumps({"success": True, "outcome": outcome}))
"""


async def _open_while_leased(
    project: Project, make_executor: MakeExecutor, *, syscalls: bool
) -> tuple[str, str]:
    """What the run's F_SETLEASE answered, and what an open of the file by another process
    (the executor reading the project's configuration, git, an editor) gets meanwhile."""
    for name in ("data/leased", "data/opened"):
        (project.root / name).unlink(missing_ok=True)
    executor = make_executor(project.root, sandbox=SandboxPolicy(syscalls=syscalls))
    run = asyncio.create_task(executor.execute_script("scripts/lease.py"))
    deadline = time.monotonic() + 10
    while not (project.root / "data/leased").exists():
        assert time.monotonic() < deadline and not run.done(), run.done() and run.result()
        await asyncio.sleep(0.02)
    # Without O_NONBLOCK the open would wait for the lease: 45 s by default.
    try:
        os.close(os.open(project.root / "pyproject.toml", os.O_RDONLY | os.O_NONBLOCK))
        opened = "ok"
    except OSError as exc:
        opened = errno.errorcode.get(exc.errno or 0, str(exc))
    (project.root / "data/opened").touch()
    result = await asyncio.wait_for(run, 20)
    assert result.success, (result.error, result.stderr[-2000:])
    assert result.output is not None
    return result.output["outcome"], opened


async def test_a_run_cannot_make_others_wait_to_open_a_file_it_may_read(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("pyproject.toml", "[project]\nname = 'x'\n")
    (project.root / "data").mkdir()
    project.write("scripts/lease.py", LEASE)
    # The positive control: without the filter, the lease holds every other opener
    # (EAGAIN is EWOULDBLOCK: the open would wait).
    assert await _open_while_leased(project, make_executor, syscalls=False) == ("ok", "EAGAIN")
    assert await _open_while_leased(project, make_executor, syscalls=True) == ("EPERM", "ok")
