"""`input-path-keys` in a configuration a run planted (`scripts/scriptcontract.toml`, the
nearest configuration of the scripts there), through the real CLI.

Two attacks: a pattern that backtracks for ever, with a key in a script or its inputs that
defeats it, held `check` (CI) and `run` (the executor's check before the run, outside the
sandbox) for good; and a pattern that matches nothing turned off the executor's check of
the default path keys, so a later run got `{"input_file": "/etc/shadow"}` through. Key
patterns are matched in linear time (`contract/key_patterns.py`), and a project's pattern
only adds keys to the default ones (`contract/path_keys.py`).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.backtracking import ATTACKS, re_is_held
from tests.cli.runner import scriptcontract, stage_in_git
from tests.conftest import Project
from tests.planted_path_keys import ECHO, READS

BOUND_S = 20.0


def _planted(project: Project, pattern: str) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write(
        "scripts/scriptcontract.toml", f"include = ['*.py']\ninput-path-keys = {pattern!r}\n"
    )
    project.write("scripts/echo.py", ECHO)
    # Vouched for, as the user's: what is tested is how the pattern is used. Unvouched, it
    # counts for nothing (tests/cli/test_planted_config_for_runs.py).
    stage_in_git(project.root, "scripts/scriptcontract.toml")


def _cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        # subprocess.run kills the command (SIGKILL) when the time is up.
        return scriptcontract(*args, cwd=project.root, timeout=BOUND_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scriptcontract {args[0]} was still matching the pattern after {BOUND_S} s")


def _run(project: Project, inputs: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _cli(project, "run", "scripts/echo.py", "--inputs", json.dumps(inputs))


@pytest.mark.parametrize(("pattern", "key"), ATTACKS)
def test_a_planted_pattern_cannot_hold_check(project: Project, pattern: str, key: str) -> None:
    assert re_is_held(pattern, key)  # the control: `re` is held by this very pair
    _planted(project, pattern)
    project.write("scripts/reads.py", READS.format(key=key))
    done = _cli(project, "check", "scripts/reads.py")
    assert f'SCR303 inputs["{key}"] is used as a file path' in done.stdout, done.stdout
    # The pattern is honoured: a key it adds is a path key.
    project.write("scripts/reads.py", READS.format(key=key.replace("!", "a")))
    assert "SCR303" not in _cli(project, "check", "scripts/reads.py").stdout


@pytest.mark.parametrize(("pattern", "key"), ATTACKS)
def test_a_planted_pattern_cannot_hold_run(project: Project, pattern: str, key: str) -> None:
    assert re_is_held(pattern, key)
    _planted(project, pattern)
    ran = _run(project, {key: "/etc/shadow"})
    assert ran.returncode == 0, ran.stderr
    refused = _run(project, {key.replace("!", "a"): "/etc/shadow"})
    assert refused.returncode == 2 and "Input path validation failed" in refused.stderr


@pytest.mark.parametrize("pattern", ["zzz", "^$"])
@pytest.mark.parametrize("value", ["/etc/shadow", "../../secret"])
def test_a_planted_pattern_that_matches_nothing_leaves_the_default_keys_checked(
    project: Project, pattern: str, value: str
) -> None:
    _planted(project, pattern)
    refused = _run(project, {"input_file": value})
    assert refused.returncode == 2, refused.stderr
    assert (
        f"Input path validation failed: Path is outside project root: input_file = {value!r}"
        in refused.stderr
    )
    assert refused.stdout == ""
    # The control: the same value under a key that is no path key reaches the script, so
    # the refusal is the default keys' check, which the pattern used to replace.
    ran = _run(project, {"note": value})
    assert ran.returncode == 0 and value in ran.stdout, ran.stderr


@pytest.mark.parametrize("command", ["run", "check"])
def test_a_pattern_that_cannot_be_matched_in_linear_time_is_a_configuration_error(
    project: Project, command: str
) -> None:
    _planted(project, "(?!)")
    args = (
        ["run", "scripts/echo.py", "--inputs", "{}"] if command == "run" else ["check", "scripts"]
    )
    done = _cli(project, *args)
    assert done.returncode == 2, done.stderr
    assert "input-path-keys: Value error, lookarounds" in done.stderr, done.stderr
    assert done.stdout == ""
