"""The suite's own rules hold: time limits that leave room for the bounds inside the tests."""

from __future__ import annotations

import sys

from tests.conftest import REPO
from tests.time_limits import REQUEST_BOUND_S

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def pytest_options() -> dict[str, object]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    options: dict[str, object] = data["tool"]["pytest"]["ini_options"]
    return options


def test_every_test_has_a_time_limit_above_the_bound_of_a_default_run() -> None:
    # Below it, a hung run would be reported as a bare timeout instead of by the wait that
    # saw it, with what it waited for.
    limit = pytest_options()["timeout"]
    assert isinstance(limit, int) and limit > REQUEST_BOUND_S
