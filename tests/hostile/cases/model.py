"""What a hostile case is: a script, how to run it, and what containment means for it.

Nothing here runs anything. A case is a script (most start from `PRELUDE`, which records
each `attempt()` as "ok" or the error it got), the policy and timeout to run it with, and an
`Expect`ation checked against the run's result as a plain dict (`ExecutionResult` dumped in
JSON mode, which is also what the language server hands its client). The executor-side test
(`test_hostile.py`) and a language-server-side test run the very same table.

Scripts never print what they manage to read: a probe that got through says "ok", so that a
broken sandbox cannot copy a real secret of this machine into a test log.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scriptcontract.toml_names import to_kebab
from tests.hostile.arena import Arena
from tests.time_limits import slowdown

# How long a case may run when the timeout is not what it is about (see `timeout_ms`).
BACKSTOP_MS = 15_000
# A result may come this long after the run began (after its timeout, for a case about the
# timeout) on a quiet machine: the script's own work, the kill and the pipes' drain. Past it,
# the bound is stretched by how much slower than its CPU time work runs on the machine now
# (`slowdown`): a loaded machine slows the script and the kill in that measure, while a run
# held seconds too long still shows on a quiet one.
GRACE_S = 5.0

# How the kernel says no: the errors an `attempt` may end with by default.
REFUSED = frozenset({"EPERM", "EACCES", "EXDEV"})

PRELUDE = r"""
import ctypes, errno, json, os, signal, socket, struct, sys, time

INPUTS = json.load(sys.stdin)
ATTEMPTS = {}
MACHINE = os.uname().machine
NR = {
    "x86_64": {"io_uring_setup": 425, "bpf": 321, "keyctl": 250, "add_key": 248,
               "perf_event_open": 298, "userfaultfd": 323, "kcmp": 312, "pidfd_getfd": 438,
               "pidfd_send_signal": 424, "ioprio_set": 251, "clone": 56, "clone3": 435,
               "fsopen": 430, "open_tree": 428, "pivot_root": 155, "tgkill": 234,
               "rt_sigqueueinfo": 129, "open_by_handle_at": 304, "sched_setattr": 314,
               "fchmodat": 268, "fchmodat2": 452, "utimensat": 280},
    "aarch64": {"io_uring_setup": 425, "bpf": 280, "keyctl": 219, "add_key": 217,
                "perf_event_open": 241, "userfaultfd": 282, "kcmp": 272, "pidfd_getfd": 438,
                "pidfd_send_signal": 424, "ioprio_set": 30, "clone": 220, "clone3": 435,
                "fsopen": 430, "open_tree": 428, "pivot_root": 41, "tgkill": 131,
                "rt_sigqueueinfo": 138, "open_by_handle_at": 265, "sched_setattr": 274,
                "fchmodat": 53, "fchmodat2": 452, "utimensat": 88},
}.get(MACHINE, {})
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


def outcome(exc):
    code = getattr(exc, "errno", None)
    if isinstance(exc, OSError) and isinstance(code, int) and code in errno.errorcode:
        return errno.errorcode[code]
    return type(exc).__name__


def attempt(name, action):
    try:
        action()
    except BaseException as exc:  # SystemExit too: a probe must never end the script
        ATTEMPTS[name] = outcome(exc)
    else:
        ATTEMPTS[name] = "ok"


def _arg(value):
    return ctypes.c_long(value) if isinstance(value, int) else value


def syscall(name, *args):
    result = LIBC.syscall(ctypes.c_long(NR[name]), *[_arg(a) for a in args])
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def libc(name, *args):
    function = getattr(LIBC, name)
    function.restype = ctypes.c_int  # -1 on failure, whatever the C type is
    result = function(*[_arg(a) for a in args])
    if result == -1:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def report(**extra):
    print(json.dumps({"success": True, "attempts": ATTEMPTS, **extra}))

"""


@dataclass(frozen=True)
class Expect:
    """What containment means for one case, checked against the result as a dict."""

    success: bool | None = True
    error_type: tuple[str, ...] = ()  # the result's error_type is one of these
    error_startswith: str | None = None
    timed_out: bool = False
    exit_code: int | None = None
    # Every attempt not in `allowed` must end in one of these; `allowed` ones must be "ok".
    refused_with: frozenset[str] = REFUSED
    allowed: tuple[str, ...] = ()
    attempts_at_least: int = 0
    output: Mapping[str, Any] = field(default_factory=dict)  # exact values of output keys


Check = Callable[[Mapping[str, Any], Arena], list[str]]


@dataclass(frozen=True)
class HostileCase:
    name: str
    about: str  # what the script tries, and what containment means for it
    body: str
    expect: Expect = Expect()
    policy: Mapping[str, Any] = field(default_factory=dict)  # SandboxPolicy fields
    # ExecutorSettings fields: a flood case's smaller output limit (fewer pipe round trips,
    # each a wait for the scheduler on a busy machine; the same path to the limit).
    executor: Mapping[str, Any] = field(default_factory=dict)
    # A backstop, not a measurement: a case ends by its own doing or by a limit long before,
    # even on a loaded machine. At 3 s the script itself raced the clock there (a flood or a
    # bomb not yet at its limit was killed as a timeout). A case that is about the timeout
    # sets its own, short one.
    timeout_ms: int = BACKSTOP_MS
    prelude: bool = True
    needs: tuple[str, ...] = ()  # "landlock:N", "seccomp", "x86_64"
    arena: tuple[str, ...] = ()  # extras to build: "listeners", "victim"
    outside: tuple[str, ...] = ()  # paths outside the tree it aims at; "{token}" is filled in
    big_input_mb: int = 0  # an inputs string this large beside the usual ones
    earlier_run: bool = False  # a run with secrets goes first, on the same executor
    known_gap: str | None = None  # the case fails today: why (run as a strict xfail)
    extra: Check | None = None
    # The positive control of a case whose attempts must be refused: the policy fields that
    # switch its protection off (by default, from `needs` and `policy`: Landlock's cases run
    # with filesystem = false, the filter's with syscalls = false, network = false's with the
    # network on). Under it the very same script must get through where the case needs a
    # refusal, so a refusal seen under the policy is the protection's, not a broken probe's.
    control: Mapping[str, Any] | None = None
    no_control: str | None = None  # why a case with attempts has no control (none runs)

    def control_policy(self) -> dict[str, Any] | None:
        """The case's policy with its protection switched off; None if it has no control."""
        if self.no_control is not None or self.expect.attempts_at_least == 0:
            return None
        off: dict[str, Any] = dict(self.control or {})
        if self.control is None:
            if any(need.startswith("landlock:") for need in self.needs):
                off["filesystem"] = False
            if "seccomp" in self.needs:
                off["syscalls"] = False
            if self.policy.get("network") is False:
                off["network"] = True
        return {**self.policy, **off}

    def source(self) -> str:
        body = textwrap.dedent(self.body).strip("\n") + "\n"
        return (PRELUDE + body) if self.prelude else body

    def inputs(self, arena: Arena) -> dict[str, Any]:
        data = arena.inputs()
        if self.big_input_mb:
            data["blob"] = "x" * (self.big_input_mb * 1000 * 1000)
        return data

    def sandbox_toml(self) -> str:
        """The case's policy (and executor settings) as `pyproject.toml` tables: how a
        server-side run gets them."""
        lines = ["[tool.scriptcontract.sandbox]"]
        for name, value in self.policy.items():
            lines.append(f"{to_kebab(name)} = {json.dumps(value)}")
        if self.executor:
            lines.append("[tool.scriptcontract.executor]")
            for name, value in self.executor.items():
                lines.append(f"{to_kebab(name)} = {json.dumps(value)}")
        return "\n".join(lines) + "\n"

    def outside_paths(self, arena: Arena) -> list[str]:
        return [path.replace("{token}", arena.token) for path in self.outside]


def check_expectation(case: HostileCase, result: Mapping[str, Any]) -> list[str]:
    """Problems with `result` (an ExecutionResult as a JSON-mode dict) for this case."""
    expect = case.expect
    problems: list[str] = []
    shown = {k: result.get(k) for k in ("success", "error", "error_type", "exit_code")}
    if expect.success is not None and result.get("success") is not expect.success:
        problems.append(f"success should be {expect.success}: {shown}, stderr {_tail(result)}")
    if not result.get("success"):
        if not isinstance(result.get("error"), str) or not result["error"].strip():
            problems.append(f"a failed run must say why: {shown}")
        if result.get("error_kind") is None:
            problems.append(f"a failed run must have an error_kind: {shown}")
    if bool(result.get("timed_out")) != expect.timed_out:
        problems.append(f"timed_out should be {expect.timed_out}: {shown}")
    if expect.error_type and result.get("error_type") not in expect.error_type:
        problems.append(f"error_type should be one of {expect.error_type}: {shown}")
    if expect.error_startswith and not str(result.get("error")).startswith(expect.error_startswith):
        problems.append(f"error should start {expect.error_startswith!r}: {shown}")
    if expect.exit_code is not None and result.get("exit_code") != expect.exit_code:
        problems.append(f"exit_code should be {expect.exit_code}: {shown}")
    output = result.get("output") or {}
    for key, value in expect.output.items():
        if output.get(key) != value:
            problems.append(f"output[{key!r}] should be {value!r}, got {output.get(key)!r}")
    attempts: dict[str, str] = output.get("attempts") or {}
    if len(attempts) < expect.attempts_at_least:
        problems.append(
            f"expected at least {expect.attempts_at_least} attempts, got {len(attempts)}: "
            f"{attempts}, stderr {_tail(result)}"
        )
    for name in expect.allowed:
        if attempts.get(name) != "ok":
            problems.append(f"{name!r} should work: {attempts.get(name)!r}")
    for name, got in attempts.items():
        if name not in expect.allowed and got not in expect.refused_with:
            problems.append(f"{name!r} should be refused ({sorted(expect.refused_with)}): {got!r}")
    return problems


def took_too_long(case: HostileCase, elapsed: float) -> list[str]:
    """A problem if the result, `elapsed` seconds after the run began, came later than the
    case may."""
    # A case about the timeout, or one that set its own for work of its own (3,000 folders
    # to remove), is over soon after it; any other soon after it began (its timeout is only
    # the backstop).
    own = case.expect.timed_out or case.timeout_ms != BACKSTOP_MS
    timeout = case.timeout_ms / 1000 if own else 0.0
    if elapsed <= timeout + GRACE_S:
        return []
    factor = slowdown()
    if elapsed <= timeout + GRACE_S * factor:
        return []
    return [f"the result took {elapsed:.1f}s, timeout {case.timeout_ms}ms, slowdown {factor:.1f}"]


def got_through(case: HostileCase, result: Mapping[str, Any]) -> list[str]:
    """The attempts of `case` that worked in `result` though the case needs them refused."""
    attempts: dict[str, str] = (result.get("output") or {}).get("attempts") or {}
    return sorted(
        name
        for name, got in attempts.items()
        if got == "ok" and name not in case.expect.allowed and "ok" not in case.expect.refused_with
    )


def _tail(result: Mapping[str, Any]) -> str:
    return repr(str(result.get("stderr") or "")[-300:])
