"""Landlock: the kernel refuses the file accesses that path validation cannot see."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from scriptcontract.executor import ExecutionResult, PythonExecutor, SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import attempt_script, needs_landlock

pytestmark = needs_landlock()

SECRET = "secret-outside-the-project"


@pytest.fixture
def outside(project: Project) -> Path:
    """A directory beside the project, on the same filesystem (so EXDEV means Landlock)."""
    path = project.root.parent / "outside"
    path.mkdir()
    (path / "secret.txt").write_text(SECRET)
    assert path.stat().st_dev == project.root.stat().st_dev
    return path


async def attempt(project: Project, executor: PythonExecutor, statement: str) -> ExecutionResult:
    project.write("scripts/attempt.py", attempt_script(statement))
    result = await executor.execute_script("scripts/attempt.py")
    assert result.success, (result.error, result.stderr)
    assert "filesystem" in result.sandbox.enforced
    return result


def assert_refused(result: ExecutionResult) -> None:
    assert result.output is not None
    assert result.output["refused"] is True, result.output


async def test_path_to_etc_passwd_built_at_run_time_is_refused(
    project: Project, executor: PythonExecutor
) -> None:
    result = await attempt(project, executor, 'open("/etc/" + "pass" + "wd").read()')
    assert_refused(result)


async def test_symlink_in_project_pointing_out_is_refused(
    project: Project, executor: PythonExecutor, outside: Path
) -> None:
    # Made by the script at run time: no input path names it, so validation never sees it.
    statement = (
        f'os.symlink("{outside / "secret.txt"}", "escape.txt"); print(open("escape.txt").read())'
    )
    result = await attempt(project, executor, statement)
    assert_refused(result)
    assert SECRET not in result.stdout


async def test_existing_symlink_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, outside: Path
) -> None:
    (project.root / "data").mkdir()
    (project.root / "data" / "link").symlink_to(outside)
    result = await attempt(project, executor, 'print(open("data/link/secret.txt").read())')
    assert_refused(result)
    assert SECRET not in result.stdout


async def test_hard_link_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, outside: Path
) -> None:
    (project.root / "mine.txt").write_text("mine")
    result = await attempt(project, executor, f'os.link("mine.txt", "{outside / "linked.txt"}")')
    assert_refused(result)
    assert not (outside / "linked.txt").exists()


async def test_hard_link_of_outside_file_into_project_is_refused(
    project: Project, executor: PythonExecutor, outside: Path
) -> None:
    result = await attempt(project, executor, f'os.link("{outside / "secret.txt"}", "got.txt")')
    assert_refused(result)
    assert not (project.root / "got.txt").exists()


async def test_rename_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, outside: Path
) -> None:
    (project.root / "mine.txt").write_text("mine")
    result = await attempt(project, executor, f'os.rename("mine.txt", "{outside / "moved.txt"}")')
    assert_refused(result)
    assert (project.root / "mine.txt").read_text() == "mine"
    assert not (outside / "moved.txt").exists()


async def test_listing_root_is_refused(project: Project, executor: PythonExecutor) -> None:
    result = await attempt(project, executor, 'print(os.listdir("/"))')
    assert_refused(result)


HOME = Path.home().resolve()
# Runs may read the interpreter's folders and /usr: a home inside one of them is readable on
# purpose; a project (a temp folder) inside the home makes the home the run's to read too.
HOME_READABLE = any(
    HOME.is_relative_to(p)
    for p in (Path("/usr"), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve())
) or Path(tempfile.gettempdir()).resolve().is_relative_to(HOME)


@pytest.mark.skipif(
    HOME_READABLE,
    reason=f"the home directory {HOME} lies where runs may read, or holds the project",
)
async def test_home_of_the_parent_is_refused(project: Project, executor: PythonExecutor) -> None:
    result = await attempt(project, executor, f'print(os.listdir("{HOME}"))')
    assert_refused(result)
    files = [p for p in HOME.iterdir() if p.is_file() and os.access(p, os.R_OK)]
    if files:
        result = await attempt(project, executor, f'print(open("{files[0]}", "rb").read(10))')
        assert_refused(result)


async def test_writing_tmp_outside_the_private_temp_dir_is_refused(
    project: Project, executor: PythonExecutor
) -> None:
    target = Path("/tmp") / f"scriptcontract-escape-{uuid.uuid4().hex}"
    try:
        result = await attempt(project, executor, f'open("{target}", "w").write("x")')
        assert_refused(result)
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


async def test_private_temp_dir_and_project_stay_writable(
    project: Project, executor: PythonExecutor
) -> None:
    project.write(
        "scripts/writer.py",
        """
        import json, os, tempfile
        with tempfile.NamedTemporaryFile("w", delete=False) as temp:
            temp.write("temp")
        os.makedirs("scripts/out/nested", exist_ok=True)
        with open("scripts/out/nested/result.txt", "w") as handle:
            handle.write("done")
        os.rename("scripts/out/nested/result.txt", "scripts/out/result.txt")
        os.link("scripts/out/result.txt", "scripts/out/again.txt")
        os.symlink("result.txt", "scripts/out/link.txt")
        print(json.dumps({"success": True, "temp": temp.name,
                          "home": os.path.expanduser("~")}))
        """,
    )
    result = await executor.execute_script("scripts/writer.py")
    assert result.success, (result.error, result.stderr)
    assert (project.root / "scripts/out/result.txt").read_text() == "done"
    assert (project.root / "scripts/out/link.txt").read_text() == "done"
    assert result.output is not None
    assert os.path.dirname(result.output["temp"]) == result.output["home"]


async def test_write_paths_and_read_paths_extend_the_box(
    project: Project, make_executor: MakeExecutor, outside: Path
) -> None:
    readable = outside.parent / "readable"
    readable.mkdir()
    (readable / "data.txt").write_text("shared data")
    policy = SandboxPolicy(write_paths=[str(outside)], read_paths=[str(readable)])
    executor = make_executor(project.root, sandbox=policy)
    project.write(
        "scripts/extra.py",
        f"""
        import errno, json
        shared = open("{readable / "data.txt"}").read()
        open("{outside / "report.txt"}", "w").write(shared)
        try:
            open("{readable / "data.txt"}", "a").write("more")
            appended = True
        except PermissionError:
            appended = False
        print(json.dumps({{"success": True, "appended": appended}}))
        """,
    )
    result = await executor.execute_script("scripts/extra.py")
    assert result.success, (result.error, result.stderr)
    assert (outside / "report.txt").read_text() == "shared data"
    assert result.output == {"success": True, "appended": False}


@pytest.mark.parametrize(
    "path",
    [
        "/proc/self/root/etc/passwd",  # a magic link to / does not lead around the rules
        "/proc/1/environ",
        "/proc/' + str(os.getppid()) + '/environ",  # the executor's environment: its secrets
    ],
)
async def test_proc_leads_nowhere_else(
    project: Project, executor: PythonExecutor, path: str
) -> None:
    result = await attempt(project, executor, f"open('{path}', 'rb').read(16)")
    assert_refused(result)
