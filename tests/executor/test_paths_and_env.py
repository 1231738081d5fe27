"""Path validation before a run, and what the child's environment holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scriptcontract.executor.python_executor import PythonExecutor
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

ECHO = "import json, sys\nprint(json.dumps({'ok': True}))\n"


@pytest.fixture
def echo(project: Project) -> str:
    project.write("scripts/echo.py", ECHO)
    return "scripts/echo.py"


async def test_symlinked_script_outside_root_refused(
    project: Project, tmp_path: Path, make_executor: MakeExecutor
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(ECHO)
    (project.root / "scripts/link.py").symlink_to(outside)
    result = await make_executor(project.root).execute_script("scripts/link.py")
    assert result.error == "Script path validation failed: Path is outside project root"


async def test_symlinked_script_inside_root_allowed(
    project: Project, echo: str, make_executor: MakeExecutor
) -> None:
    (project.root / "scripts/alias.py").symlink_to(project.root / echo)
    result = await make_executor(project.root).execute_script("scripts/alias.py")
    assert result.success, result.error


async def test_absolute_script_inside_root_allowed(
    project: Project, echo: str, make_executor: MakeExecutor
) -> None:
    result = await make_executor(project.root).execute_script(project.root / echo)
    assert result.success


@pytest.mark.parametrize(
    ("inputs", "where"),
    [
        ({"input_file": "../secret.txt"}, "input_file = '../secret.txt'"),
        ({"output_path": "/etc/cron.d/job"}, "output_path = '/etc/cron.d/job'"),
        ({"job": {"config": {"data_dir": "/var"}}}, "job.config.data_dir = '/var'"),
        ({"input_files": ["data/a.csv", "../../b.csv"]}, "input_files[1] = '../../b.csv'"),
        ({"steps": [{"file": "ok.txt"}, {"path": "/root/.ssh/id_rsa"}]}, "steps[1].path"),
        ({"Output_Dir": "/tmp"}, "Output_Dir = '/tmp'"),
        ({"file": "data/../../x"}, "file = 'data/../../x'"),
    ],
)
async def test_input_paths_outside_root_refused(
    project: Project, echo: str, inputs: dict[str, object], where: str, make_executor: MakeExecutor
) -> None:
    result = await make_executor(project.root).execute_script(echo, inputs)
    assert result.error is not None
    assert result.error.startswith("Input path validation failed: Path is outside project root: ")
    assert where in result.error
    assert result.error_kind == "validation"


async def test_input_path_through_symlinked_dir_refused(
    project: Project, echo: str, tmp_path: Path, make_executor: MakeExecutor
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (project.root / "data").symlink_to(tmp_path / "elsewhere")
    result = await make_executor(project.root).execute_script(
        echo, {"output_file": "data/new/result.json"}
    )
    assert result.error is not None and "Path is outside project root" in result.error


async def test_input_paths_inside_root_and_not_yet_existing_allowed(
    project: Project, echo: str, make_executor: MakeExecutor
) -> None:
    inputs = {
        "input_file": "data/raw.csv",
        "output_file": "output/new/deep/result.json",
        "note": "../not a path key",
        "count": 3,
        "files": [],
        "threshold_path": None,
    }
    result = await make_executor(project.root).execute_script(echo, inputs)
    assert result.success, result.error


async def test_a_custom_path_key_pattern_adds_keys_to_the_default_ones(
    project: Project, echo: str, make_executor: MakeExecutor
) -> None:
    executor = make_executor(project.root, input_path_keys=r"^(src|dst)$")
    refused = await executor.execute_script(echo, {"dst": "/etc/x"})
    assert refused.error is not None and "dst = '/etc/x'" in refused.error
    # The default keys stay checked: a pattern cannot take them away.
    kept = await executor.execute_script(echo, {"output_file": "/etc/x"})
    assert kept.error is not None and "output_file = '/etc/x'" in kept.error
    allowed = await executor.execute_script(echo, {"note": "/etc/x"})  # no path key at all
    assert allowed.success, allowed.error


def test_a_path_key_pattern_the_executor_cannot_match_in_linear_time_is_refused(
    project: Project,
) -> None:
    with pytest.raises(ValueError, match=r"input_path_keys '\(\?!\)': lookarounds"):
        PythonExecutor(project.root, input_path_keys="(?!)")


async def test_nul_in_path_refused(
    project: Project, echo: str, make_executor: MakeExecutor
) -> None:
    result = await make_executor(project.root).execute_script(echo, {"file": "a\0b"})
    assert result.error is not None and "NUL" in result.error


async def test_parent_secrets_do_not_leak(
    project: Project, monkeypatch: pytest.MonkeyPatch, make_executor: MakeExecutor
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "hunter2")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    project.write(
        "scripts/env.py",
        "import json, os, sys\nprint(json.dumps({'env': dict(os.environ), 'path': sys.path}))\n",
    )
    result = await make_executor(project.root).execute_script("scripts/env.py")
    assert result.output is not None
    env = result.output["env"]
    assert "AWS_SECRET_ACCESS_KEY" not in env and "GITHUB_TOKEN" not in env
    assert "hunter2" not in result.stdout and "ghp_secret" not in result.stdout
    assert "/somewhere/else" not in result.output["path"]
    assert env["HOME"] == env["TMPDIR"]
    assert not os.path.exists(env["TMPDIR"])  # the private temp dir is gone after the run


async def test_caller_env_is_passed(project: Project, make_executor: MakeExecutor) -> None:
    project.write(
        "scripts/env.py", "import json, os\nprint(json.dumps({'v': os.environ.get('API_BASE')}))\n"
    )
    executor = make_executor(project.root, env={"API_BASE": "from-executor"})
    assert (await executor.execute_script("scripts/env.py")).output == {"v": "from-executor"}
    per_call = await executor.execute_script("scripts/env.py", env={"API_BASE": "per-call"})
    assert per_call.output == {"v": "per-call"}


async def test_project_root_must_exist(tmp_path: Path, make_executor: MakeExecutor) -> None:
    with pytest.raises(ValueError, match="Project root is not a directory"):
        make_executor(tmp_path / "missing")


async def test_pass_env_names_pass_through(
    project: Project, monkeypatch: pytest.MonkeyPatch, make_executor: MakeExecutor
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/x.db")
    monkeypatch.setenv("OTHER_SECRET", "no")
    project.write("scripts/env.py", "import json, os\nprint(json.dumps(dict(os.environ)))\n")
    result = await make_executor(project.root, pass_env=["DATABASE_URL"]).execute_script(
        "scripts/env.py"
    )
    assert result.output is not None
    assert result.output["DATABASE_URL"] == "sqlite:///data/x.db"
    assert "OTHER_SECRET" not in result.output
