"""`scriptcontract run`: output, exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project


def test_readme_command_runs_hello(examples: Path) -> None:
    done = scriptcontract(
        "run",
        "examples/scripts/hello.py",
        "--root",
        "examples",
        "--inputs",
        '{"name": "Lighthouse"}',
        cwd=examples.parent,  # as the README has it, from the checkout's top
    )
    assert done.returncode == 0, done.stderr
    assert "✓ success" in done.stdout
    assert '"message": "Hello, Lighthouse!"' in done.stdout


def test_json_output_is_the_whole_result(examples: Path) -> None:
    done = scriptcontract(
        "run",
        "scripts/transform_data.py",
        "--root",
        str(examples),
        "--json",
        "--inputs-file",
        str(examples / "scripts/transform_data.inputs.json"),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["success"] is True
    assert result["output"]["transformed"] == ["North", "South", "East"]
    assert set(result) >= {"exit_code", "stderr", "execution_time_ms", "timed_out", "sandbox"}


def test_root_found_from_the_script(examples: Path) -> None:
    done = scriptcontract("run", str(examples / "scripts/hello.py"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"]["message"] == "Hello, World!"


def test_failed_script_exits_1_with_its_error(examples: Path) -> None:
    done = scriptcontract(
        "run", "scripts/broken_no_error_handling.py", "--root", str(examples), "--inputs", "{}"
    )
    assert done.returncode == 1
    assert "✗ failed (exit 1" in done.stdout
    assert "Script exited with code 1" in done.stdout
    assert "KeyError: 'name'" in done.stdout  # stderr is shown


def test_timeout_exits_1(examples: Path) -> None:
    done = scriptcontract(
        "run", "scripts/broken_endless.py", "--root", str(examples), "--timeout-ms", "500"
    )
    assert done.returncode == 1
    assert "Script execution timed out after 500ms" in done.stdout
    assert "broken_endless.py" in done.stdout  # where it was when the time ran out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--inputs", "{not json"], "--inputs is not valid JSON"),
        (["--inputs", "[1]"], "--inputs must be a JSON object, got list"),
        (["--inputs-file", "missing.json"], "cannot read --inputs-file missing.json"),
        (["--timeout-ms", "0"], "--timeout-ms must be a positive number"),
        (["--root", "no/such/dir"], "--root no/such/dir is not a directory"),
    ],
)
def test_usage_errors_exit_2(examples: Path, args: list[str], message: str) -> None:
    done = scriptcontract("run", "scripts/hello.py", *args, cwd=examples)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_validation_errors_exit_2(examples: Path) -> None:
    done = scriptcontract("run", "../outside.py", "--root", str(examples))
    assert done.returncode == 2
    assert "Script path validation failed: Path is outside project root" in done.stdout
    bad_input = scriptcontract(
        "run",
        "scripts/hello.py",
        "--root",
        str(examples),
        "--inputs",
        '{"input_file": "/etc/passwd"}',
    )
    assert bad_input.returncode == 2
    assert "Input path validation failed" in bad_input.stdout


def test_missing_interpreter_exits_2(examples: Path) -> None:
    done = scriptcontract(
        "run", "scripts/hello.py", "--root", str(examples), "--python", "python-nope"
    )
    assert done.returncode == 2
    assert "Python interpreter not found: python-nope" in done.stdout


def test_script_arguments_after_double_dash(project: Project) -> None:
    project.write(
        "scripts/argv.py", "import json, sys\nprint(json.dumps({'argv': sys.argv[1:]}))\n"
    )
    done = scriptcontract(
        "run", "scripts/argv.py", "--root", str(project.root), "--json", "--", "-x", "y"
    )
    assert json.loads(done.stdout)["output"] == {"argv": ["-x", "y"]}


def test_bad_project_config_is_an_error_and_runs_nothing(examples: Path) -> None:
    (examples / "scriptcontract.toml").write_text("[sandbox]\nmemory-mb = 'lots'\n")
    done = scriptcontract("run", "scripts/hello.py", "--root", str(examples))
    assert done.returncode == 2
    assert "[sandbox] memory-mb: Input should be a valid integer" in done.stderr
    assert done.stdout == ""


def test_no_command_prints_help_and_exits_2() -> None:
    done = scriptcontract()
    assert done.returncode == 2
    assert "check" in done.stderr and "run" in done.stderr
