"""The confinement steps in order, each reported, none raising (see the package docstring)."""

from __future__ import annotations

import os
import sys
import time

from . import _native
from ._landlock import apply_landlock, rules_for
from ._limits import apply_limits
from ._report import Policy, Report
from ._seccomp import build_filter, install

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any, Callable

LINUX_ONLY = ("filesystem", "syscalls", "signals")


def apply(spec: dict[str, Any], report: dict[str, Any]) -> None:
    started = time.perf_counter()
    out = Report(report)
    policy = Policy(spec.get("policy") or {})
    cpu_seconds = spec.get("cpu_seconds")
    _step(out, ("limits",), lambda: _run_limits(policy, cpu_seconds, out))
    if sys.platform.startswith("linux"):
        _confine_linux(spec, policy, out)
    else:
        for name in LINUX_ONLY:
            out.missing(name, "Linux only (Landlock, seccomp); not on " + sys.platform)
        if not policy.flag("network"):
            out.missing("network", "cannot be denied on " + sys.platform)
    _processes_verdict(policy, out)
    out.detail("setup_ms", "%.2f" % ((time.perf_counter() - started) * 1000))


def rehearse() -> None:
    """The pure parts of `apply()`, with a stand-in run and nothing put in force: see
    `boot.rehearse()`."""
    out = Report({})
    policy = Policy({})
    rules_for({"project_root": "/", "tmp_dir": "/"}, policy)
    if _native.ARCH is not None:
        build_filter(_native.ARCH, syscalls=True, network=True, own_pid=os.getpid())
    out.enforced("limits", "rehearsal")
    out.missing("network", "rehearsal")
    _processes_verdict(policy, out)


def _processes_verdict(policy: Policy, out: Report) -> None:
    nproc = out.details.get("nproc")
    if "processes" in out.enforced_names:  # the executor's watchdog, from outside
        cap = policy.number("max_processes", 64)
        threads = policy.number("max_threads", 512)
        how = f"the executor's watchdog: at most {cap} live processes, {threads} threads"
        out.details.setdefault("processes", how + (f"; RLIMIT_NPROC {nproc}" if nproc else ""))
    elif nproc:
        out.enforced("processes", f"RLIMIT_NPROC {nproc} (this user's tasks + the cap)")
    else:
        out.missing("processes", "no process watchdog, and RLIMIT_NPROC does not bind root")


def _confine_linux(spec: dict[str, Any], policy: Policy, out: Report) -> None:
    try:
        _native.libc().prctl(_native.PR_SET_NO_NEW_PRIVS, 1)
    except Exception as exc:
        # Landlock and seccomp refuse to start without it (unless CAP_SYS_ADMIN).
        for name in (*LINUX_ONLY, "network"):
            out.missing(name, f"no_new_privs could not be set: {exc}")
        return
    tcp_denied = _step(out, ("filesystem", "signals"), lambda: _run_landlock(spec, policy, out))
    sockets_denied = _step(out, ("syscalls",), lambda: _run_seccomp(policy, out))
    _network_verdict(policy, out, tcp_denied, sockets_denied)


def _step(out: Report, names: tuple[str, ...], action: Callable[[], bool | None]) -> bool:
    """Run one step; an unexpected error marks its protections missing, never escapes."""
    try:
        return bool(action())
    except Exception as exc:
        for name in names:
            out.missing(name, f"{type(exc).__name__}: {exc}")
        return False


def _run_limits(policy: Policy, cpu_seconds: object, out: Report) -> None:
    seconds = cpu_seconds if isinstance(cpu_seconds, int) else 3600
    apply_limits(policy, seconds, out)


def _run_landlock(spec: dict[str, Any], policy: Policy, out: Report) -> bool:
    """Apply Landlock; True when it also refuses TCP bind/connect."""
    return apply_landlock(spec, policy, out) and "landlock_tcp" in out.details


def _run_seccomp(policy: Policy, out: Report) -> bool:
    """Install the filter; True when it refuses socket() (the network is denied)."""
    syscalls, network = policy.flag("syscalls"), policy.flag("network")
    if not syscalls:
        out.missing("syscalls", "off in the policy")
        if network:
            return False
    arch = _native.ARCH
    if arch is None:
        reason = "no seccomp syscall table for " + _native.machine()
        if syscalls:
            out.missing("syscalls", reason)
        out.detail("seccomp", reason)
        return False
    try:
        program = build_filter(arch, syscalls=syscalls, network=network, own_pid=os.getpid())
        install(_native.libc(), program)
    except OSError as exc:
        reason = "seccomp filter refused: %s" % (exc.strerror or exc)
        if syscalls:
            out.missing("syscalls", reason)
        out.detail("seccomp", reason)
        return False
    if syscalls:
        out.enforced("syscalls", f"seccomp ({arch.name})")
        if os.geteuid() == 0:
            out.detail(
                "modes", "refused: a run as root changes no mode or times (fchmod, futimens)"
            )
    return not network


def _network_verdict(policy: Policy, out: Report, tcp_denied: bool, sockets_denied: bool) -> None:
    if policy.flag("network"):
        return  # allowed: there is nothing to enforce
    if sockets_denied:
        how = "seccomp: no sockets" + ("; Landlock: no TCP bind/connect" if tcp_denied else "")
        out.enforced("network", how)
    elif tcp_denied:
        out.missing("network", "only TCP is refused (Landlock); UDP and raw sockets stay open")
    else:
        out.missing("network", "neither seccomp nor Landlock TCP rules are available")
