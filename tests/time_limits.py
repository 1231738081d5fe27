"""The suite's time limits, in one place.

Every test has a limit (pytest-timeout; its default is `timeout` in pyproject.toml, a slower
test marks its own), and every wait on a run, a server or a command is bounded by the run's
timeout plus a grace, so that a hang fails the test that saw it, with what it waited for.
"""

from __future__ import annotations

import time

from scriptcontract.executor.settings import DEFAULT_TIMEOUT_MS

GRACE_S = 10.0
"""How long past its timeout a run may take to be over: the kill, the report, a loaded machine."""


def run_bound(timeout_ms: int | None = None) -> float:
    """The longest wait for a run with `timeout_ms` (None: the default timeout) to be over."""
    return (DEFAULT_TIMEOUT_MS if timeout_ms is None else timeout_ms) / 1000 + GRACE_S


REQUEST_BOUND_S = run_bound()
"""The longest wait for any answer of the server or the CLI: any of them may be a default run."""


def slowdown(cpu_s: float = 0.05) -> float:
    """How many times longer than its CPU time a piece of CPU work takes in this process now:
    about 1 on a quiet machine, 20 for a process niced behind busy loops on every core.

    The calibration for a wall-clock bound on work the test cannot measure in CPU time (a
    script's processes, a server's): measured only when the bound for a quiet machine was
    passed, so it costs nothing while the machine is quiet.
    """
    started, cpu_started = time.monotonic(), time.process_time()
    while time.process_time() - cpu_started < cpu_s:
        pass
    return max(1.0, (time.monotonic() - started) / (time.process_time() - cpu_started))
