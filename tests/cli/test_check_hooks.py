"""The pre-commit hook definition runs the real `check` command on the files it is given."""

from __future__ import annotations

import re
import shlex

from tests.cli.runner import run_check
from tests.conftest import REPO, Project


def test_pre_commit_hooks_file_declares_the_scriptcontract_hook() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    hooks = re.findall(r"^- id: (\S+)$", text, re.MULTILINE)
    assert hooks == ["scriptcontract", "scriptcontract-fix"]
    entries = re.findall(r"^  entry: (.+)$", text, re.MULTILINE)
    assert entries == [
        "scriptcontract check --force-exclude",
        "scriptcontract check --force-exclude --fix",
    ]
    assert "id: scriptcontract" in (REPO / "README.md").read_text()


def test_hook_entry_filters_the_files_pre_commit_passes(project: Project) -> None:
    """pre-commit passes every changed .py file; only the scripts among them are checked."""
    project.write("scripts/job.py", 'import sys\nprint("hi")\n')
    project.write("lib/util.py", 'print("hi")\n')
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    entry = re.findall(r"^  entry: (.+)$", text, re.MULTILINE)[0]
    arguments = shlex.split(entry)[2:]  # after "scriptcontract check"
    result = run_check(project.root, *arguments, "scripts/job.py", "lib/util.py")
    assert result.returncode == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"scripts/job.py"}
