"""Executor fixtures: every executor test runs in both modes, cold and warm."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project

MakeExecutor = Callable[..., PythonExecutor]


@pytest.fixture(params=["cold", "warm"])
def mode(request: pytest.FixtureRequest) -> Literal["cold", "warm"]:
    value: Literal["cold", "warm"] = request.param
    return value


@pytest.fixture
def make_executor(mode: Literal["cold", "warm"]) -> MakeExecutor:
    """`PythonExecutor(...)` in this test's mode."""

    def make(root: Path | str, **kwargs: Any) -> PythonExecutor:
        kwargs.setdefault("mode", mode)
        # The interpreter under test, not whatever `python3` is first on PATH.
        kwargs.setdefault("python_path", sys.executable)
        return PythonExecutor(root, **kwargs)

    return make


@pytest.fixture
def executor(project: Project, make_executor: MakeExecutor) -> PythonExecutor:
    return make_executor(project.root, default_timeout_ms=10000)
