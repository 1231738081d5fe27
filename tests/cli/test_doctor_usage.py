"""`scriptcontract doctor`'s usage errors, and what it says of the interpreter: they need no
protection, so they run everywhere."""

from __future__ import annotations

import venv

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project


def test_missing_interpreter_is_a_setup_error(project: Project) -> None:
    done = scriptcontract("doctor", "--root", str(project.root), "--python", "no-such-python")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "scriptcontract doctor: error: Python interpreter not found: no-such-python"
    )


def test_root_that_is_not_a_directory_is_a_usage_error(project: Project) -> None:
    done = scriptcontract("doctor", "--root", str(project.root / "missing"))
    assert done.returncode == 2
    assert "is not a directory" in done.stderr


@pytest.mark.parametrize("named", [False, True], ids=["python3", "the-venv-named"])
def test_a_virtual_environment_runs_do_not_use_is_named(project: Project, named: bool) -> None:
    venv.EnvBuilder(symlinks=True, with_pip=False).create(project.root / "env")
    # A relative --python is the shell's folder's: here the project root.
    chosen = ["--python", "env/bin/python"] if named else []
    done = scriptcontract("doctor", "--root", str(project.root), *chosen, cwd=project.root)
    assert done.returncode in (0, 1), done.stderr
    unused = 'not env/, the project\'s virtual environment: `python = "env/bin/python"`'
    assert (unused in done.stdout) is not named, done.stdout
    assert ("(" + str(project.root / "env" / "bin" / "python") + ")" in done.stdout) is named
