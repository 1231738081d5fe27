"""Protected project files: whatever a run does to them is put back, and the run says so."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from scriptcontract.executor import SandboxPolicy
from scriptcontract.executor.protected_files import ProtectedFiles
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

OK = "import json\nprint(json.dumps({'success': True}))\n"


def _layout(root: Path) -> None:
    (root / "pyproject.toml").write_text("[tool.scriptcontract]\n")
    (root / ".git/hooks").mkdir(parents=True)
    (root / ".git/hooks/pre-commit.sample").write_text("#!/bin/sh\n")
    (root / ".git/config").write_text("[core]\n")
    (root / "data").mkdir()


@pytest.mark.parametrize(
    ("attack", "restored"),
    [
        ("open('pyproject.toml', 'a').write('enabled = false\\n')", ["pyproject.toml"]),
        (
            "open('scriptcontract.toml', 'w').write('[sandbox]\\nenabled = false\\n')",
            ["scriptcontract.toml"],
        ),
        ("os.remove('.git/hooks/pre-commit.sample')", [".git/hooks/pre-commit.sample"]),
        ("open('.git/config', 'a').write('[core]\\nhooksPath = data\\n')", [".git/config"]),
        (
            "os.makedirs('.vscode'); open('.vscode/tasks.json', 'w').write('{}')",
            [".vscode", ".vscode/tasks.json"],
        ),
        (
            "import shutil; shutil.rmtree('.git/hooks'); os.symlink('/etc', '.git/hooks')",
            [".git/hooks", ".git/hooks/pre-commit.sample"],
        ),
        ("os.remove('pyproject.toml'); os.mkdir('pyproject.toml')", ["pyproject.toml"]),
        ("os.chmod('.git/hooks/pre-commit.sample', 0o777)", [".git/hooks/pre-commit.sample"]),
    ],
)
async def test_changes_are_put_back_and_the_run_fails(
    project: Project, make_executor: MakeExecutor, attack: str, restored: list[str]
) -> None:
    _layout(project.root)
    before = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    project.write("scripts/attack.py", f"import json, os\n{attack}\n{OK}")
    result = await make_executor(project.root).execute_script("scripts/attack.py")
    assert not result.success
    assert result.error_type == "ProtectedFileChanged"
    assert result.restored_files == restored
    assert result.output == {"success": True}  # what the script printed is still there
    after = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    scripts = {p for p in after if "scripts" in p.parts}
    assert {p: v for p, v in after.items() if p not in scripts} == {
        p: v for p, v in before.items() if p not in scripts
    }
    assert not (project.root / ".git/hooks").is_symlink()
    assert (project.root / ".git/hooks/pre-commit.sample").stat().st_mode & 0o777 == 0o644
    assert not (project.root / ".vscode").exists()


async def test_other_project_files_are_the_scripts_to_change(
    project: Project, make_executor: MakeExecutor
) -> None:
    _layout(project.root)
    project.write(
        "scripts/writes.py",
        "import json, os\n"
        "open('data/out.json', 'w').write('{}')\n"
        f"os.remove('scripts/writes.py')\n{OK}",
    )
    result = await make_executor(project.root).execute_script("scripts/writes.py")
    assert result.success, result.error
    assert result.restored_files == []
    assert (project.root / "data/out.json").exists()


async def test_a_failed_run_keeps_its_error_and_adds_the_restore(
    project: Project, make_executor: MakeExecutor
) -> None:
    _layout(project.root)
    project.write("scripts/x.py", "open('pyproject.toml', 'w').write('')\nraise SystemExit(1)\n")
    result = await make_executor(project.root).execute_script("scripts/x.py")
    assert result.error is not None
    assert result.error.startswith("Script exited with code 1; The script changed protected")
    assert (project.root / "pyproject.toml").read_text() == "[tool.scriptcontract]\n"


async def test_cancelled_run_is_restored_too(project: Project, make_executor: MakeExecutor) -> None:
    _layout(project.root)
    project.write(
        "scripts/slow.py",
        "import time\nopen('pyproject.toml', 'w').write('x')\ntime.sleep(60)\n",
    )
    task = asyncio.ensure_future(
        make_executor(project.root).execute_script("scripts/slow.py", timeout_ms=30000)
    )
    for _ in range(100):
        await asyncio.sleep(0.05)
        if (project.root / "pyproject.toml").read_text() == "x":
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (project.root / "pyproject.toml").read_text() == "[tool.scriptcontract]\n"


async def test_guard_is_configurable(project: Project, make_executor: MakeExecutor) -> None:
    _layout(project.root)
    project.write("scripts/x.py", f"open('pyproject.toml', 'a').write('# note\\n')\n{OK}")
    policy = SandboxPolicy(protected_paths=[])
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/x.py")
    assert result.success
    assert (project.root / "pyproject.toml").read_text().endswith("# note\n")


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    _layout(tmp_path)
    guard = ProtectedFiles(tmp_path)
    inode = os.stat(tmp_path / "pyproject.toml").st_ino
    assert guard.restore(guard.snapshot()) == []
    assert os.stat(tmp_path / "pyproject.toml").st_ino == inode
