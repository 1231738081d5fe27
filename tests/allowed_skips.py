"""The only reasons a test may be skipped, each with why; any other skip fails the run.

A skip hides whatever the test would have caught, and a skip nobody reads stays for good:
a server that cannot start, a capability that went missing, a parameter that stopped
applying. So a skip's reason must match one entry here (the whole reason, as a regular
expression), and such a skip belongs in the test's marks or parametrisation, never decided
while the test runs. Everything else is reported as a failure of that test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class AllowedSkip:
    reason: str
    """A regular expression the whole skip reason must match."""
    why: str
    """Why skipping is right wherever this reason holds."""
    not_in_ci: bool = False
    """CI provides what the test needs: there (`SCRIPTCONTRACT_CI` set) the skip fails."""


ALLOWED_SKIPS = (
    AllowedSkip(
        r"needs Landlock ABI .*",
        "The kernel has no Landlock, or an older ABI than the protection uses: it cannot be "
        "enforced on this machine, so it cannot be tested here (`scriptcontract doctor` tells "
        "users the same). The reason is found by asking the kernel, never the sandbox.",
    ),
    AllowedSkip(
        r"needs seccomp on .*",
        "No seccomp, or an architecture whose syscall numbers the filter does not know: the "
        "protection does not exist here. Asked of the kernel, never of the sandbox.",
    ),
    AllowedSkip(
        r"the call is new in Linux \d+\.\d+: its positive control cannot run here",
        "A system-call probe shows the filter's refusal beside the same call made without the "
        "filter; on an older kernel that call does not exist (ENOSYS), so the control cannot "
        "show it working. The filter refuses it there all the same (the hostile suite checks).",
    ),
    AllowedSkip(
        r"x86_64 only",
        "The case calls syscalls by their x86_64 numbers.",
    ),
    AllowedSkip(
        r"reads /proc(; Linux only)?|warm runs: Linux|rlimits are only known to hold on Linux",
        "The mechanism under test (/proc, the warm runner, rlimits) is Linux's; the project "
        "supports running scripts elsewhere without it.",
    ),
    AllowedSkip(
        r"RLIMIT_NPROC does not bind root; the watchdog does",
        "The kernel ignores RLIMIT_NPROC for root, so run as root the limit cannot be seen; "
        "the process watchdog's own tests cover root, and CI also runs unprivileged.",
    ),
    AllowedSkip(
        r"no (memory |pids )?cgroup to make here",
        "The executor makes a run's control group only where it may (cgroup v1 writable, as "
        "root; a delegated v2 group): elsewhere the totals are not enforced, and the report "
        "and the docs say so. Found by looking at the machine's cgroups, never the sandbox's "
        "report. CI runs as root, where they are made, and unprivileged, where they are not.",
    ),
    AllowedSkip(
        r"switches to the user nobody: needs root on Linux|needs root and a file system with "
        r"chattr \+i",
        "These tests set up what only root can (a child as another user, an immutable file) to "
        "show the temp dir's removal copes with it; CI runs them as root, and runs the rest of "
        "the sandbox suites again unprivileged.",
    ),
    AllowedSkip(
        r"a run as root changes no mode or times: (needs root|as a user only)",
        "The filter refuses fchmod and futimens in a run as root only (root owns the "
        "system's files, which a run may open), and keeps them for a user's run (the kernel "
        "refuses a user the system's files; everyday copies need them). Each side can only be "
        "seen as that user: CI runs the sandbox suites as root and again unprivileged.",
    ),
    AllowedSkip(
        r"a folder this user cannot write: (not as root|no interpreter in /usr/bin or "
        r"/usr/local/bin)",
        "The warm runner processes site-packages before the sandbox only for an interpreter "
        "whose folders this user cannot write; root may write every folder, so as root only "
        "the confined side can be seen. CI runs the sandbox suites again unprivileged, where "
        "the system interpreter is out of the user's reach.",
    ),
    AllowedSkip(
        r"places a pid through /proc/sys/kernel/ns_last_pid: needs root",
        "To give a later run the pid of a killed one at once (rather than after cycling "
        "through every pid of the machine), the test sets the kernel's last pid, which only "
        "root may: CI runs the executor suite as root.",
    ),
    AllowedSkip(
        r"(zsh|fish) not installed",
        "The completion scripts for zsh and fish are checked by the shells themselves, which "
        "a developer's machine may not have (the README's test command must pass on a fresh "
        "one). CI installs both (`.ci/run`), and there this skip fails the test.",
        not_in_ci=True,
    ),
    AllowedSkip(
        r"no C compiler to build the preloaded library",
        "The LD_PRELOAD test builds its library; a machine without gcc cannot, and nothing "
        "else can stand in for a real preloaded library.",
    ),
    AllowedSkip(
        r"the home directory .* lies where runs may read, or holds the project",
        "Reading that home is then allowed on purpose (it lies in the interpreter's folders "
        "or /usr, or the test's projects are in it), so refusing it cannot be tested here.",
    ),
)


def allowed(reason: str) -> AllowedSkip | None:
    """The entry that allows skipping for `reason`, if any."""
    in_ci = bool(os.environ.get("SCRIPTCONTRACT_CI"))
    for entry in ALLOWED_SKIPS:
        if re.fullmatch(entry.reason, reason):
            return None if entry.not_in_ci and in_ci else entry
    return None


def _refuse_unlisted(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    if not isinstance(report.longrepr, tuple):
        return
    where, line, message = report.longrepr
    reason = str(message).removeprefix("Skipped: ")
    if allowed(reason) is not None:
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped at {where}:{line} for a reason that tests/allowed_skips.py does not allow: "
        f"{reason!r}\nA skip hides what the test would catch: make the test run, let it fail, "
        "or declare the skip in its marks with a reason the list allows (and say why there)."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _refuse_unlisted(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    _refuse_unlisted(report)
    return report
