"""Executor fixtures: an executor over the test's project."""

from __future__ import annotations

import pytest

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project


@pytest.fixture
def executor(project: Project) -> PythonExecutor:
    return PythonExecutor(project.root, default_timeout_ms=10000)
