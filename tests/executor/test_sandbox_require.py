"""`require`: a run that cannot have a required protection is refused before the script runs."""

from __future__ import annotations

from scriptcontract.executor import SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import needs_landlock

TOUCH = """
import json
open("scripts/ran.txt", "w").write("the script ran")
print(json.dumps({"success": True}))
"""


async def test_required_filesystem_refused_when_confinement_is_off(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/touch.py", TOUCH)
    policy = SandboxPolicy(filesystem=False, require=["filesystem"])
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/touch.py")
    assert not result.success
    assert result.error_kind == "setup"
    assert result.error_type == "SandboxUnavailable"
    assert result.error is not None
    assert result.error == (
        "Sandbox requirement not met: filesystem required but turned off in the sandbox policy"
    )
    assert not (project.root / "scripts/ran.txt").exists()
    assert "filesystem" in result.sandbox.missing


async def test_required_protection_refused_when_the_sandbox_is_disabled(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/touch.py", TOUCH)
    policy = SandboxPolicy(enabled=False, require=["syscalls"])
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/touch.py")
    assert result.error_type == "SandboxUnavailable"
    assert result.error == (
        "Sandbox requirement not met: syscalls required but turned off in the sandbox policy"
    )
    assert not (project.root / "scripts/ran.txt").exists()


@needs_landlock()
async def test_required_protections_that_hold_let_the_script_run(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/touch.py", TOUCH)
    policy = SandboxPolicy(require=["filesystem", "limits", "processes"])
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/touch.py")
    assert result.success, (result.error, result.stderr)
    assert (project.root / "scripts/ran.txt").exists()
