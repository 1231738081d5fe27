"""Step 1: resource limits, and no capabilities left that would let root lift them.

Root keeps CAP_SYS_RESOURCE and could raise every hard limit again, so the step also
empties the capability sets; with no_new_privs set first, no later exec gives them back.
"""

from __future__ import annotations

import os
import sys

from . import _native
from ._report import Policy, Report

try:  # at import time, so that the warm runner has it loaded before it forks (~0.8 ms)
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

MIB = 1024 * 1024
_CAP_VERSION_3 = 0x20080522


def apply_limits(policy: Policy, cpu_seconds: int, report: Report) -> None:
    if resource is None:
        report.missing("limits", "no resource limits on " + sys.platform)
        return
    wanted = [
        ("RLIMIT_AS", policy.number("memory_mb", 2048) * MIB),
        ("RLIMIT_CPU", max(cpu_seconds, 1)),
        ("RLIMIT_FSIZE", policy.number("file_size_mb", 1024) * MIB),
        ("RLIMIT_NOFILE", policy.number("open_files", 1024)),
        ("RLIMIT_CORE", 0),
    ]
    problems: list[str] = []
    is_root = os.geteuid() == 0
    if not is_root and sys.platform.startswith("linux"):
        # A kernel-side fork-bomb guard beside the executor's watchdog (root ignores it).
        tasks = _user_tasks(os.getuid())
        if tasks is not None:
            nproc = tasks + policy.number("max_threads", 512)
            wanted.append(("RLIMIT_NPROC", nproc))
            report.detail("nproc", str(nproc))
    for name, value in wanted:
        number = getattr(resource, name, None)
        if number is None:
            problems.append(name + " unknown here")
            continue
        _soft, hard = resource.getrlimit(number)
        # At the soft CPU limit SIGXCPU ends the process; SIGKILL a second later if ignored.
        soft, new_hard = value, (value + 1 if name == "RLIMIT_CPU" else value)
        if hard != resource.RLIM_INFINITY and new_hard > hard:
            # An unprivileged hard limit only goes down: keep the tighter one.
            soft, new_hard = min(soft, hard), hard
        try:
            resource.setrlimit(number, (soft, new_hard))
        except (OSError, ValueError) as exc:
            problems.append(f"{name}: {exc}")
    if sys.platform == "darwin":
        problems.append("macOS does not enforce RLIMIT_AS")
    caps = _drop_capabilities()
    if caps is not None:
        report.detail("capabilities", caps)
    if is_root and caps != "dropped":
        problems.append("root with its capabilities could raise the limits again")
    if problems:
        report.missing("limits", "; ".join(problems))
    else:
        report.enforced("limits", "rlimits: address space, CPU, file size, open files, no core")


def _user_tasks(uid: int) -> int | None:
    """Threads of all processes of `uid`: what RLIMIT_NPROC is compared with."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    total = 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            info = os.stat("/proc/" + name + "/task")
        except OSError:
            continue
        if info.st_uid == uid:
            # A task directory links to itself, its parent, and one entry per thread.
            total += max(info.st_nlink - 2, 1)
    return total


def _drop_capabilities() -> str | None:
    """Empty the effective, permitted and inheritable sets; None where there are none."""
    arch = _native.ARCH
    if arch is None:
        return None
    # A fresh header: the kernel writes its preferred version back into it on a mismatch.
    header = _native.pack((_CAP_VERSION_3, 4), (0, 4))  # version, pid 0: this process
    data = bytes(24)  # effective, permitted, inheritable: two 32-bit words each, all zero
    try:
        _native.libc().syscall(arch.syscalls["capset"], header, data)
    except OSError as exc:
        return f"not dropped: {exc.strerror or exc}"
    return "dropped"
