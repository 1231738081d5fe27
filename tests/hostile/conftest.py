"""Hostile-suite fixtures: both executor modes, and the test process as a child subreaper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.executor.conftest import make_executor, mode
from tests.executor.test_sandbox_platform import LINUX
from tests.hostile.containment import set_child_subreaper

__all__ = ["make_executor", "mode"]


@pytest.fixture(scope="module", autouse=True)
def child_subreaper() -> Iterator[None]:
    """Orphans of a run stay our descendants (instead of pid 1's) while this module runs."""
    if not LINUX:
        yield
        return
    set_child_subreaper(True)
    try:
        yield
    finally:
        set_child_subreaper(False)
