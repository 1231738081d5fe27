"""`scriptcontract doctor`'s usage errors: they need no protection, so they run everywhere."""

from __future__ import annotations

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
