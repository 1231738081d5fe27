"""The hostile scripts, as data: what each one tries and what containment means for it.

Nothing here runs anything. Each case is a script, the policy and timeout to run it with,
and an `Expect`ation checked against the run's result as a plain dict (see `model`). The
executor-side test (`test_hostile.py`) runs the table through `PythonExecutor`; a
language-server-side test runs the very same table through the server and applies the same
`check_expectation` and case `extra` checks to the result the server returns.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.cases import (
    bookkeeping,
    kernel,
    lifetime,
    network,
    output,
    processes,
    reading,
    secrets,
    writing,
)
from tests.hostile.cases.checks import EARLIER_RUN_PREFIX, earlier_run_secrets
from tests.hostile.cases.model import REFUSED, Expect, HostileCase, check_expectation

__all__ = [
    "CASES",
    "EARLIER_RUN_PREFIX",
    "REFUSED",
    "Expect",
    "HostileCase",
    "case_named",
    "check_expectation",
    "earlier_run_secrets",
    "write_case",
]

CASES: tuple[HostileCase, ...] = (
    *lifetime.CASES,
    *processes.CASES,
    *reading.CASES,
    *writing.CASES,
    *network.CASES,
    *kernel.CASES,
    *output.CASES,
    *secrets.CASES,
    *bookkeeping.CASES,
)


def case_named(name: str) -> HostileCase:
    for case in CASES:
        if case.name == name:
            return case
    raise KeyError(name)


def write_case(case: HostileCase, root: Path) -> str:
    """Write the case's script into the project; the path to run, relative to the root."""
    path = root / "scripts" / "case.py"
    path.write_text(case.source())
    return "scripts/case.py"
