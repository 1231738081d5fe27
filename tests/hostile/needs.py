"""Which hostile cases this machine can run: each case's needs, asked of the kernel.

Shared by the executor-side and the server-side suites, so that both skip (and expect to
fail) exactly the same cases.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from typing import Any

import pytest

from tests.executor.test_sandbox_platform import LANDLOCK_ABI, SECCOMP
from tests.hostile.cases import HostileCase


def missing(need: str) -> str | None:
    """Why this machine cannot run a case that needs `need`, found by asking the kernel."""
    if need.startswith("landlock:"):
        abi = int(need.split(":")[1])
        return None if abi <= LANDLOCK_ABI else f"needs Landlock ABI {abi}, have {LANDLOCK_ABI}"
    if need == "seccomp":
        return None if SECCOMP else "needs seccomp on x86_64 or aarch64"
    if need == "x86_64":
        return None if platform.machine() == "x86_64" else "x86_64 only"
    raise ValueError(f"unknown need {need!r}")


def case_params(cases: Iterable[HostileCase]) -> list[Any]:
    """One pytest param per case: skipped where the kernel lacks a need, a strict xfail for a
    known gap."""
    params = []
    for case in cases:
        marks: list[pytest.MarkDecorator] = []
        reasons = [r for r in map(missing, case.needs) if r]
        if reasons:
            marks.append(pytest.mark.skip(reason="; ".join(reasons)))
        if case.known_gap:
            marks.append(pytest.mark.xfail(strict=True, reason=case.known_gap))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def control_params(cases: Iterable[HostileCase]) -> list[Any]:
    """One pytest param per case with a positive control, skipped where the case is."""
    params = []
    for case in cases:
        if case.control_policy() is None:
            continue
        reasons = [r for r in map(missing, case.needs) if r]
        marks = [pytest.mark.skip(reason="; ".join(reasons))] if reasons else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params
