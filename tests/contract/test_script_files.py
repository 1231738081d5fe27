"""Which files count as workflow scripts."""

from __future__ import annotations

import pytest

from scriptcontract.contract.script_files import is_workflow_script
from scriptcontract.contract.settings import LintSettings


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("scripts/hello.py", True),
        ("scripts/nested/deeper/job.py", True),
        ("./scripts/hello.py", True),
        ("scripts/notes.txt", False),
        ("lib/helpers.py", False),
        ("tests/test_scripts.py", False),
    ],
)
def test_default_include(path: str, expected: bool) -> None:
    assert is_workflow_script(path, "", LintSettings()) is expected


def test_include_and_exclude_globs() -> None:
    settings = LintSettings(include=["jobs/*.py", "etl/**/*.py"], exclude=["etl/vendor/**"])
    assert is_workflow_script("jobs/a.py", "", settings)
    assert not is_workflow_script("jobs/sub/a.py", "", settings)
    assert is_workflow_script("etl/x/y.py", "", settings)
    assert not is_workflow_script("etl/vendor/lib.py", "", settings)


def test_markers_opt_in_and_out() -> None:
    settings = LintSettings()
    assert is_workflow_script("tools/run.py", "import sys\n# scriptcontract: script\n", settings)
    assert is_workflow_script(None, "#scriptcontract: script\n", settings)
    assert not is_workflow_script(None, "print(1)\n", settings)
    assert not is_workflow_script("scripts/helper.py", "# scriptcontract: skip-file\n", settings)
    # A marker inside a string is not a comment line.
    assert not is_workflow_script("tools/x.py", 'x = "# scriptcontract: script"\n', settings)
