"""Persistence through the project: files in it that run or configure code outside the box.

The project root is the script's to write, by design. Some files in it, though, are read by
programs that run unconfined: scriptcontract's own configuration (the next run's sandbox
policy) and git's hooks. The executor guards them (sandbox.protected-paths): whatever a run
does to them is put back once the run's processes are dead, and the run fails saying so.
"""

from __future__ import annotations

import json
from pathlib import Path

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
    tampered = _cli_run(tmp_path, "tamper.py")
    assert tampered["success"] is False
    assert tampered["restored_files"] == ["pyproject.toml"]
    assert tampered["error_type"] == "ProtectedFileChanged"
    after = _cli_run(tmp_path, "read.py")
    assert after["output"] == {"success": True, "outcome": "Permission denied"}


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
    assert not result.success
    assert result.restored_files == [".git/hooks/pre-commit"]
    assert result.error is not None
    assert result.error.startswith("The script changed protected project files")
    assert not (hooks / "pre-commit").exists()
