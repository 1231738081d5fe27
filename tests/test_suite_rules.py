"""The suite's own rules hold: time limits that leave room for the tests' own bounds, no skip
for a reason that is not on the allow-list, scripts run under the interpreter under test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.allowed_skips import ALLOWED_SKIPS
from tests.cli.runner import scriptcontract
from tests.conftest import REPO, Project
from tests.time_bounds import BACKSTOP_S
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


# Each slow test would run 10 minutes: only its time limit ends it within the child's bound.
TOO_LONG = {
    "awaiting": "async def test_slow():\n    await asyncio.sleep(600)\n",
    # The loop spends its time in callbacks, where a SIGALRM's failure was caught and logged
    # by the loop (and the future the test awaited was never resolved: it hung for good).
    "in-callbacks": """
async def test_slow():
    loop = asyncio.get_running_loop()
    while True:
        woken = loop.create_future()
        loop.call_soon(lambda: (sum(range(20000)), woken.set_result(None)))
        await woken
""",
    "synchronous": "def test_slow():\n    time.sleep(600)\n",
    # A callback that never returns: the loop cannot act, the backstop ends the worker.
    "loop-blocked": """
async def test_slow():
    asyncio.get_running_loop().call_soon(time.sleep, 600)
    await asyncio.sleep(600)
""",
}
CHILD_LIMIT_S = 2.0
TIMED_OUT = {
    "awaiting": "Failed: Timeout (>2.0s): the test's loop cancelled it at its limit",
    "in-callbacks": "Failed: Timeout (>2.0s): the test's loop cancelled it at its limit",
    "synchronous": "Failed: Timeout (>2.0s) from pytest-timeout.",
    "loop-blocked": "worker 'gw0' crashed while running 'test_child.py::test_slow'",
}
CHILD_BOUND_S = 100.0


@pytest.mark.timeout(CHILD_BOUND_S + 20)
@pytest.mark.parametrize("kind", TOO_LONG)
def test_a_test_that_runs_too_long_fails_at_its_limit_and_the_next_runs(
    tmp_path: Path, kind: str
) -> None:
    # As the suite runs (-n, the limit from pytest-timeout, tests.time_bounds as the
    # conftest loads it): the slow test fails for its time, the short one after it passes.
    (tmp_path / "test_child.py").write_text(
        f"import asyncio\nimport time\n\n{TOO_LONG[kind]}\n\nasync def test_short():\n"
        "    await asyncio.sleep(0.1)\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.time_bounds", "-c", os.devnull),
            *("-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=function"),
            *("--timeout", str(CHILD_LIMIT_S), "-n", "1", "-rA"),
            *("--durations=0", "--durations-min=0", "test_child.py"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=CHILD_BOUND_S,
    )
    took_s = time.monotonic() - started
    summary = done.stdout.splitlines()
    assert summary[-1].strip("= ").startswith("1 failed, 1 passed"), done.stdout
    assert "PASSED test_child.py::test_short" in summary, done.stdout
    failed = next(line for line in summary if line.startswith("FAILED test_child.py::test_slow"))
    assert TIMED_OUT[kind][:40] in failed, failed
    assert TIMED_OUT[kind] in done.stdout, done.stdout
    if kind == "loop-blocked":
        assert took_s > CHILD_LIMIT_S + BACKSTOP_S, took_s
    else:
        ran = re.search(r"^([0-9.]+)s call +test_child.py::test_slow$", done.stdout, re.M)
        assert ran, done.stdout
        # At its limit, not at its end (600 s) nor at the backstop.
        assert CHILD_LIMIT_S <= float(ran[1]) < CHILD_LIMIT_S + BACKSTOP_S / 2, ran[0]
