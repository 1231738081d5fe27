"""Shared fixtures: a throwaway project directory with scripts written by each test."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.allowed_skips import pytest_make_collect_report, pytest_runtest_makereport
from tests.http_server import json_http_server
from tests.time_bounds import pytest_runtest_call, pytest_timeout_set_timer

# Any skip whose reason tests/allowed_skips.py does not allow fails its test; every test,
# an asynchronous one included, fails at its time limit (tests/time_bounds.py).
__all__ = [
    "pytest_make_collect_report",
    "pytest_runtest_call",
    "pytest_runtest_makereport",
    "pytest_timeout_set_timer",
]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


class Project:
    """A temporary workflow project: `write()` adds files, `root` is its directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    return Project(root)


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/, to run and to check: a run writes into its project, and a test
    must never change the repository's files (nor depend on what another run left there)."""
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


@pytest.fixture
def http_base() -> Iterator[str]:
    """A local JSON HTTP server: every GET answers {"path": ..., "items": 3}."""
    with json_http_server() as url:
        yield url
