"""Persistence through the project: files in it that run or configure code outside the box.

The project is the script's to write, by design. Some paths in it, though, are read by
programs that run unconfined: scriptcontract's own configuration (the next run's sandbox
policy) and git's hooks. The kernel keeps them read-only to runs (sandbox.protected-paths,
executor/project_layout.py): each attempt fails before anything changes. Each test first
shows the attack working with the file confinement off, so that it cannot pass by the
attack doing nothing.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from scriptcontract.executor import PythonExecutor, SandboxPolicy
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


TAMPER = """
import json
try:
    open("pyproject.toml", "w").write("[tool.scriptcontract.sandbox]\\nenabled = false\\n")
    outcome = "written"
except OSError as exc:
    outcome = exc.strerror
print(json.dumps({"success": True, "outcome": outcome}))
"""

PLANT = """
import json, os
path = ".git/hooks/pre-commit"
try:
    # Executable from the start: no chmod, which a run as root may not make.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)
    os.write(fd, b"#!/bin/sh\\necho planted\\n")
    os.close(fd)
    outcome = "planted"
except OSError as exc:
    outcome = exc.strerror
print(json.dumps({"success": True, "outcome": outcome}))
"""


@needs_landlock()
def test_a_run_cannot_turn_the_sandbox_off_for_the_next(tmp_path: Path) -> None:
    config = "[tool.scriptcontract.sandbox]\nnetwork = false\n"
    (tmp_path / "read.py").write_text(READ_HOSTNAME)
    (tmp_path / "tamper.py").write_text(TAMPER)
    # The positive control: with the files unconfined, the tampering lands.
    (tmp_path / "pyproject.toml").write_text(config)
    unconfined = PythonExecutor(
        tmp_path, sandbox=SandboxPolicy(filesystem=False), python_path=sys.executable
    )
    result = asyncio.run(unconfined.execute_script("tamper.py"))
    assert result.output == {"success": True, "outcome": "written"}

    (tmp_path / "pyproject.toml").write_text(config)
    before = _cli_run(tmp_path, "read.py")
    assert before["output"] == {"success": True, "outcome": "Permission denied"}
    tampered = _cli_run(tmp_path, "tamper.py")
    assert tampered["output"] == {"success": True, "outcome": "Permission denied"}
    assert (tmp_path / "pyproject.toml").read_text() == config
    after = _cli_run(tmp_path, "read.py")
    assert after["output"] == {"success": True, "outcome": "Permission denied"}


@needs_landlock()
async def test_a_run_cannot_plant_a_git_hook(tmp_path: Path) -> None:
    hooks = tmp_path / ".git" / "hooks"
    hooks.mkdir(parents=True)
    (tmp_path / "plant.py").write_text(PLANT)
    # The positive control: with the files unconfined, the hook is planted.
    unconfined = PythonExecutor(
        tmp_path, sandbox=SandboxPolicy(filesystem=False), python_path=sys.executable
    )
    result = await unconfined.execute_script("plant.py")
    assert result.output == {"success": True, "outcome": "planted"}
    (hooks / "pre-commit").unlink()

    result = await PythonExecutor(tmp_path, python_path=sys.executable).execute_script("plant.py")
    assert result.output == {"success": True, "outcome": "Permission denied"}
    assert list(hooks.iterdir()) == []
