"""Persistence through the project: files in it that run or configure code outside the box.

The project root is the script's to write, by design. Some files in it, though, are read by
programs that run unconfined: scriptcontract's own configuration (the next run's sandbox
policy) and git's hooks. Both are known gaps today (docs/security.md), kept here as strict
xfails so that a fix turns them green loudly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptcontract.executor import PythonExecutor
from tests.cli.runner import scriptcontract
from tests.executor.test_sandbox_platform import needs_landlock

READ_HOSTNAME = """
import json
try:
    open("/etc/hostname").read()
    outcome = "read"
except OSError as exc:
    outcome = exc.strerror
print(json.dumps({"success": True, "outcome": outcome}))
"""


def _cli_run(root: Path, script: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(
        scriptcontract("run", script, "--root", str(root), "--json").stdout
    )
    return result


@needs_landlock()
@pytest.mark.xfail(
    strict=True,
    reason="the project's config is writable by its scripts: one run can turn the sandbox "
    "off for the next (docs/security.md, known gaps)",
)
def test_a_run_cannot_turn_the_sandbox_off_for_the_next(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.scriptcontract.sandbox]\nnetwork = false\n")
    (tmp_path / "read.py").write_text(READ_HOSTNAME)
    (tmp_path / "tamper.py").write_text(
        "import json\n"
        'open("pyproject.toml", "w").write("[tool.scriptcontract.sandbox]\\nenabled = false\\n")\n'
        'print(json.dumps({"success": True}))\n'
    )
    before = _cli_run(tmp_path, "read.py")
    assert before["output"] == {"success": True, "outcome": "Permission denied"}
    assert _cli_run(tmp_path, "tamper.py")["success"] is True
    after = _cli_run(tmp_path, "read.py")
    assert after["output"] == {"success": True, "outcome": "Permission denied"}


@pytest.mark.xfail(
    strict=True,
    reason="git hooks live in the project: a script can plant one that runs unconfined at "
    "the user's next commit (docs/security.md, known gaps)",
)
async def test_a_run_cannot_plant_a_git_hook(tmp_path: Path) -> None:
    hooks = tmp_path / ".git" / "hooks"
    hooks.mkdir(parents=True)
    (tmp_path / "plant.py").write_text(
        "import json, os\n"
        'path = ".git/hooks/pre-commit"\n'
        "try:\n"
        '    open(path, "w").write("#!/bin/sh\\necho planted\\n")\n'
        "    os.chmod(path, 0o755)\n"
        "except OSError:\n"
        "    pass\n"
        'print(json.dumps({"success": True}))\n'
    )
    result = await PythonExecutor(tmp_path).execute_script("plant.py")
    assert result.success, result.error
    assert not (hooks / "pre-commit").exists()
