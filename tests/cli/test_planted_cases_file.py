"""A cases file a run planted: its regular expressions run outside the sandbox.

A cases file lives beside its script, where runs may write. `scriptcontract test` (and the
language server, for the editor's test runs) matches the run's stderr and error against the
`matches` patterns of the file, with Python's `re`, which has no time limit and holds the
interpreter while it backtracks: a planted pattern with nested repetition, and a stderr the
same script writes, would hold the command for good (it did not even end on SIGTERM: its
handler never got to run). Such a pattern is matched in a child process with a time limit
(`text_patterns`): the case fails and says why.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

SCRIPT = """
import json, sys
sys.stdin.read()
sys.stderr.write("a" * 40 + "!")  # one character short of what the pattern wants
print(json.dumps({"success": True}))
"""
CASES = '{"cases": [{"name": "stderr", "expect": {"stderr": {"matches": "%s"}}}]}\n'


def _project(project: Project, pattern: str) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/planted.py", SCRIPT)
    project.write("scripts/planted.cases.json", CASES % pattern)


def test_the_pattern_of_a_cases_file_is_matched_against_stderr(project: Project) -> None:
    """The positive control of the test below: the same pattern, without nested
    repetition, is matched (and fails the case) at once."""
    _project(project, "^a+$")
    done = scriptcontract("test", "scripts", cwd=project.root, timeout=30)
    assert done.returncode == 1, done.stderr
    assert "expected a text matching /^a+$/" in done.stdout, done.stdout


def test_a_pattern_planted_in_a_cases_file_cannot_hold_the_test_command(
    project: Project,
) -> None:
    _project(project, "^(a+)+$")
    try:
        # subprocess.run kills the command (SIGKILL) when the time is up.
        done = scriptcontract("test", "scripts", cwd=project.root, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("scriptcontract test was still matching the pattern after 10 s")
    assert done.returncode == 1, done.stderr
    assert "was still being matched after 2 s" in done.stdout, done.stdout


COUNTS = """
import json, sys
sys.stdin.read()
with open("scripts/ran.txt", "a") as handle:
    handle.write("ran\\n")
print(json.dumps({"success": True}))
"""


@pytest.mark.parametrize("where", ["case", "file"])
def test_a_cases_file_cannot_give_a_run_more_time_than_the_project(
    project: Project, where: str
) -> None:
    """A run planted a cases file with a timeout of weeks: `test` (and the editor's test
    runs) let the script, and its CPU limit, go on that long. A cases file may only
    shorten the project's timeout; the positive control: a shorter one runs."""
    project.write("scriptcontract.toml", "[executor]\ntimeout-ms = 20000\n")
    project.write("scripts/counts.py", COUNTS)
    for timeout, runs in ((2**31, False), (20000, True), (5000, True)):
        case: dict[str, object] = {"name": "slow", "expect": {"success": True}}
        document: dict[str, object] = {"cases": [case]}
        (case if where == "case" else document)["timeout_ms"] = timeout
        project.write("scripts/counts.cases.json", json.dumps(document))
        (project.root / "scripts/ran.txt").unlink(missing_ok=True)
        done = scriptcontract("test", "scripts", cwd=project.root, timeout=60)
        assert (project.root / "scripts/ran.txt").exists() is runs, done.stdout
        if runs:
            assert done.returncode == 0, done.stdout + done.stderr
        else:
            assert done.returncode == 1, done.stdout + done.stderr
            assert f"its timeout_ms ({timeout}) is above the project's timeout-ms (20000)" in (
                done.stdout
            )
