"""Landlock: the kernel refuses the file accesses that path validation cannot see.

Each refusal stands beside its positive control: the very same statement, run with Landlock
off (`filesystem = false`), works, and does what the refused one did not. So no test here
passes because a path was wrong or the kernel refused for a reason of its own.
"""

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


NO_LANDLOCK = SandboxPolicy(filesystem=False)


async def gets_through(
    project: Project,
    make_executor: MakeExecutor,
    statement: str,
    off: SandboxPolicy = NO_LANDLOCK,
) -> ExecutionResult:
    """The positive control: the same statement, with Landlock (or all of the sandbox) off,
    works."""
    project.write("scripts/attempt.py", attempt_script(statement))
    result = await make_executor(project.root, sandbox=off).execute_script("scripts/attempt.py")
    assert result.success, (result.error, result.stderr)
    assert "filesystem" not in result.sandbox.enforced
    assert result.output is not None
    assert (result.output["refused"], result.output["error"]) == (False, None), result.output
    return result


async def test_path_to_etc_passwd_built_at_run_time_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    statement = 'open("/etc/" + "pass" + "wd").read()'
    assert_refused(await attempt(project, executor, statement))
    await gets_through(project, make_executor, statement)


async def test_symlink_in_project_pointing_out_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor, outside: Path
) -> None:
    # Made by the script at run time: no input path names it, so validation never sees it.
    # In a folder (the project's top level keeps its entries: a link there is refused anyway).
    (project.root / "data").mkdir()
    statement = (
        f'os.symlink("{outside / "secret.txt"}", "data/escape.txt"); '
        f'assert open("data/escape.txt").read() == "{SECRET}"'
    )
    assert_refused(await attempt(project, executor, statement))
    # Making the link is allowed, following it is not.
    assert (project.root / "data" / "escape.txt").is_symlink()
    (project.root / "data" / "escape.txt").unlink()
    await gets_through(project, make_executor, statement)


async def test_existing_symlink_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor, outside: Path
) -> None:
    (project.root / "data").mkdir()
    (project.root / "data" / "link").symlink_to(outside)
    statement = f'assert open("data/link/secret.txt").read() == "{SECRET}"'
    assert_refused(await attempt(project, executor, statement))
    await gets_through(project, make_executor, statement)


async def test_hard_link_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor, outside: Path
) -> None:
    (project.root / "data").mkdir()
    (project.root / "data" / "mine.txt").write_text("mine")
    statement = f'os.link("data/mine.txt", "{outside / "linked.txt"}")'
    assert_refused(await attempt(project, executor, statement))
    assert not (outside / "linked.txt").exists()
    await gets_through(project, make_executor, statement)
    assert (outside / "linked.txt").read_text() == "mine"


async def test_hard_link_of_outside_file_into_project_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor, outside: Path
) -> None:
    # Into a folder: the project's top level keeps its entries, a link there is refused anyway.
    (project.root / "data").mkdir()
    statement = f'os.link("{outside / "secret.txt"}", "data/got.txt")'
    assert_refused(await attempt(project, executor, statement))
    assert not (project.root / "data" / "got.txt").exists()
    await gets_through(project, make_executor, statement)
    assert (project.root / "data" / "got.txt").read_text() == SECRET


async def test_rename_out_of_project_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor, outside: Path
) -> None:
    # From a folder: the project's top level keeps its entries, moving one is refused anyway.
    (project.root / "data").mkdir()
    (project.root / "data" / "mine.txt").write_text("mine")
    statement = f'os.rename("data/mine.txt", "{outside / "moved.txt"}")'
    assert_refused(await attempt(project, executor, statement))
    assert (project.root / "data" / "mine.txt").read_text() == "mine"
    assert not (outside / "moved.txt").exists()
    await gets_through(project, make_executor, statement)
    assert (outside / "moved.txt").read_text() == "mine"


async def test_listing_root_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    statement = 'assert "etc" in os.listdir("/")'
    assert_refused(await attempt(project, executor, statement))
    await gets_through(project, make_executor, statement)


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
async def test_home_of_the_parent_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    statement = f'os.listdir("{HOME}")'
    assert_refused(await attempt(project, executor, statement))
    await gets_through(project, make_executor, statement)
    files = [p for p in HOME.iterdir() if p.is_file() and os.access(p, os.R_OK)]
    if files:  # a home with no file to read has the listing's refusal only
        statement = f'open("{files[0]}", "rb").read(10)'
        assert_refused(await attempt(project, executor, statement))
        await gets_through(project, make_executor, statement)


async def test_writing_tmp_outside_the_private_temp_dir_is_refused(
    project: Project, executor: PythonExecutor, make_executor: MakeExecutor
) -> None:
    target = Path("/tmp") / f"scriptcontract-escape-{uuid.uuid4().hex}"
    try:
        statement = f'open("{target}", "w").write("x")'
        assert_refused(await attempt(project, executor, statement))
        assert not target.exists()
        await gets_through(project, make_executor, statement)
        assert target.read_text() == "x"
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


# Another process's environment is refused twice over: by Landlock, and by the kernel's
# ptrace access check (a run keeps no capability, so not even root's run passes it). Their
# control turns the whole sandbox off.
NO_SANDBOX = SandboxPolicy(enabled=False)


@pytest.mark.parametrize(
    ("path", "off"),
    [
        # A magic link to / does not lead around the rules.
        ("/proc/self/root/etc/passwd", NO_LANDLOCK),
        # The test process's, the embedding program's: not /proc/1's, which the kernel may
        # refuse for reasons of its own (in a container, even to root without the sandbox).
        (f"/proc/{os.getpid()}/environ", NO_SANDBOX),
        # The executor's environment: its secrets.
        ("/proc/' + str(os.getppid()) + '/environ", NO_SANDBOX),
        # Files of another process that no ptrace check guards (which, with the capabilities
        # dropped and Landlock's own ptrace rule, refuse the two above anyway): the command
        # line of the embedding program (`scriptcontract run --inputs '{"token": ...}'`).
        (f"/proc/{os.getpid()}/cmdline", NO_LANDLOCK),
    ],
    ids=["proc-self-root", "embedder-environ", "parent-environ", "embedder-cmdline"],
)
async def test_proc_leads_nowhere_else(
    project: Project,
    executor: PythonExecutor,
    make_executor: MakeExecutor,
    path: str,
    off: SandboxPolicy,
) -> None:
    statement = f"open('{path}', 'rb').read(16)"
    assert_refused(await attempt(project, executor, statement))
    await gets_through(project, make_executor, statement, off)
