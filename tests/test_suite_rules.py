"""The suite's own rules hold: time limits that leave room for the tests' own bounds, no skip
for a reason that is not on the allow-list, scripts run under the interpreter under test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.allowed_skips import ALLOWED_SKIPS
from tests.cli.runner import scriptcontract
from tests.conftest import REPO, Project
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


def test_every_allowed_skip_says_why() -> None:
    assert ALLOWED_SKIPS
    for entry in ALLOWED_SKIPS:
        re.compile(entry.reason)
        assert len(entry.why) > 40, entry


SKIPPING = """
import pytest

@pytest.mark.skipif(True, reason="needs Landlock ABI >= 99; this kernel has 7")
def test_allowed_by_mark():
    pass

def test_unlisted_at_run_time():
    pytest.skip("the server lacks codeActionProvider")

@pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.skip(reason="not applicable"))])
def test_unlisted_in_the_parametrisation(x):
    pass

@pytest.mark.xfail(strict=True, reason="a known gap")
def test_an_expected_failure_is_not_a_skip():
    assert False
"""


def test_a_skip_for_a_reason_not_on_the_list_fails_its_test(tmp_path: Path) -> None:
    (tmp_path / "test_skipping.py").write_text(SKIPPING, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.allowed_skips", "-rA", "-c", os.devnull],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=REQUEST_BOUND_S,
    )
    summary = done.stdout.splitlines()
    assert summary[-1].strip("= ").startswith("1 failed, 1 skipped, 1 xfailed, 1 error"), summary
    assert "SKIPPED [1] test_skipping.py:4: needs Landlock ABI >= 99; this kernel has 7" in summary
    assert any(
        line.startswith("ERROR test_skipping.py::test_unlisted_in_the_par") for line in summary
    )
    assert any(
        line.startswith("FAILED test_skipping.py::test_unlisted_at_run_time") for line in summary
    )
    assert "does not allow: 'the server lacks codeActionProvider'" in done.stdout


SKIPPING_WHAT_CI_HAS = """
import pytest

@pytest.mark.skipif(True, reason="fish not installed")
def test_needs_fish():
    pass
"""


def test_a_skip_for_what_ci_installs_fails_in_ci_only(tmp_path: Path) -> None:
    (tmp_path / "test_skipping.py").write_text(SKIPPING_WHAT_CI_HAS, encoding="utf-8")
    outside = {k: v for k, v in os.environ.items() if k != "SCRIPTCONTRACT_CI"}
    summaries = []
    for env in (outside, {**outside, "SCRIPTCONTRACT_CI": "1"}):
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "tests.allowed_skips", "-rA", "-c", os.devnull],
            cwd=tmp_path,
            env={**env, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=REQUEST_BOUND_S,
        )
        summaries.append(done.stdout.splitlines()[-1].strip("= "))
    assert summaries[0].startswith("1 skipped"), summaries
    assert summaries[1].startswith("1 error"), summaries  # (a skip mark acts at set-up)


def test_scripts_run_under_the_interpreter_under_test(project: Project) -> None:
    # The executor's default interpreter is `python3` from PATH: the harness puts this one
    # first, so that a script's behaviour does not depend on what this machine's PATH holds.
    project.write(
        "scripts/which.py", "import json, sys\nprint(json.dumps({'python': sys.executable}))\n"
    )
    done = scriptcontract("run", "scripts/which.py", "--root", str(project.root), "--json")
    assert done.returncode == 0, done.stderr
    ran = json.loads(done.stdout)["output"]["python"]
    assert os.path.samefile(ran, sys.executable), (ran, sys.executable)
