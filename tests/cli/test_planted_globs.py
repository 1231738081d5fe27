"""Globs and ignore files a run planted, with file names it chose, through the real CLI.

A run can write `scripts/scriptcontract.toml` (the nearest configuration of the scripts
there), a `.gitignore` or `.ignore` in any folder it may write, and name its files as it
likes. Translated to Python's `re`, an `exclude` glob of `**a` runs or an ignore line of
`*a` runs backtracked for good on a long name of `a`: `check` in CI never finished. Both
are matched in linear time now (`contract/globs.py`, `check/ignore_rules.py`).
"""

from __future__ import annotations

import subprocess

import pytest
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from scriptcontract.contract.globs import glob_to_regex
from tests.backtracking import re_is_held
from tests.cli.runner import scriptcontract, stage_in_git
from tests.cli.test_check_options import FIXABLE, shown_paths
from tests.conftest import Project

BOUND_S = 20.0
GLOB = "**a" * 6 + "b.py"
LINE = "*a" * 8 + "*b"
LONG = "a" * 200  # a name a run may choose (255 characters a segment)


def _cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        # subprocess.run kills the command (SIGKILL) when the time is up.
        return scriptcontract(*args, cwd=project.root, timeout=BOUND_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scriptcontract {args[0]} was still matching after {BOUND_S} s")


@pytest.mark.parametrize("key", ["exclude", "per-file-ignores"])
def test_a_planted_glob_cannot_hold_check(project: Project, key: str) -> None:
    held = f"{LONG}.py"
    assert re_is_held(glob_to_regex(GLOB), held)  # the control: `re` is held by this pair
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    table = (
        f"exclude = [{GLOB!r}]" if key == "exclude" else f"[per-file-ignores]\n{GLOB!r} = ['SCR']"
    )
    project.write("scripts/scriptcontract.toml", f"include = ['*.py']\n{table}\n")
    project.write(f"scripts/{held}", FIXABLE)
    project.write(f"scripts/{LONG}b.py", FIXABLE)  # the glob is honoured: this one it matches
    # Staged, as a user's: check uses no nested configuration a run may have written.
    stage_in_git(project.root, "scripts/scriptcontract.toml")
    done = _cli(project, "check", "scripts")
    assert shown_paths(done) == {f"scripts/{held}"}, done.stdout + done.stderr


def test_a_glob_too_large_to_match_in_linear_time_is_a_configuration_error(
    project: Project,
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/scriptcontract.toml", f"exclude = [{'*/' * 800!r}]\n")
    project.write("scripts/job.py", FIXABLE)
    done = _cli(project, "check", "scripts")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "exclude: Value error, the glob '*/*/" in done.stderr, done.stderr
    assert "is too large" in done.stderr, done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("name", [".gitignore", ".ignore"])
def test_a_planted_ignore_line_cannot_hold_check(project: Project, name: str) -> None:
    expression = GitIgnoreSpecPattern(LINE).regex
    assert expression is not None
    assert re_is_held(str(expression.pattern), f"{LONG}.py")  # the control
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(f"scripts/{name}", f"{LINE}\n!keep*b\n")
    project.write(f"scripts/{LONG}.py", FIXABLE)
    project.write(f"scripts/{LONG}b", FIXABLE)  # ignored, but named .py below
    project.write(f"scripts/{LONG}b.py", FIXABLE)
    project.write("scripts/ab", FIXABLE)
    done = _cli(project, "check")
    # The line ignores names that end in b: none of the .py files here.
    assert shown_paths(done) == {f"scripts/{LONG}.py", f"scripts/{LONG}b.py"}, done.stdout
    project.write(f"scripts/{name}", f"{LINE}.py\n")
    done = _cli(project, "check")
    assert shown_paths(done) == {f"scripts/{LONG}.py"}, done.stdout + done.stderr


def test_a_line_pathspec_refuses_is_skipped_and_said_once(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(".gitignore", "!\ntmp_*.py\n")
    project.write("scripts/job.py", FIXABLE)
    project.write("scripts/tmp_one.py", FIXABLE)
    project.write("scripts/tmp_two.py", FIXABLE)
    done = _cli(project, "check")
    assert shown_paths(done) == {"scripts/job.py"}, done.stdout + done.stderr
    assert done.stderr.count("ignoring the line '!' of the ignore files in") == 1, done.stderr


def test_a_glob_too_large_on_the_command_line_is_refused(project: Project) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/job.py", FIXABLE)
    done = _cli(project, "check", "--extend-exclude", "*/" * 800)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "is too large" in done.stderr and "(on the command line)" in done.stderr, done.stderr
    # The control: a glob of a usual size passes, and the file is checked.
    assert shown_paths(_cli(project, "check", "--extend-exclude", "x/*")) == {"scripts/job.py"}
