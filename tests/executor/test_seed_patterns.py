"""The seed guide's patterns and messages, run as real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor


async def test_hello_template_greets(examples: Path, make_executor: MakeExecutor) -> None:
    result = await make_executor(examples).execute_script(
        "scripts/hello.py", {"name": "Lighthouse"}
    )
    assert result.success, result.error
    assert result.output == {"success": True, "message": "Hello, Lighthouse!"}
    assert result.exit_code == 0
    assert result.execution_time_ms > 0


async def test_no_inputs_means_empty_object(examples: Path, make_executor: MakeExecutor) -> None:
    result = await make_executor(examples).execute_script("scripts/hello.py")
    assert result.output == {"success": True, "message": "Hello, World!"}


async def test_file_processing_writes_inside_project(
    examples: Path, make_executor: MakeExecutor
) -> None:
    result = await make_executor(examples).execute_script(
        "scripts/process_file.py",
        {"input_file": "data/raw.txt", "output_file": "output/upper.txt"},
    )
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "lines": 3, "output_file": "output/upper.txt"}
    assert (examples / "output/upper.txt").read_text().startswith("FIRST LINE")
    assert "processed 3 lines" in result.stderr


async def test_data_transformation_error_path(examples: Path, make_executor: MakeExecutor) -> None:
    executor = make_executor(examples)
    ok = await executor.execute_script(
        "scripts/transform_data.py", {"items": ["a", "b"], "operation": "uppercase"}
    )
    assert ok.output == {"success": True, "transformed": ["A", "B"], "count": 2}
    bad = await executor.execute_script("scripts/transform_data.py", {"operation": "shout"})
    assert not bad.success
    assert bad.exit_code == 1
    assert bad.error == "Unknown operation: shout"
    assert bad.error_type == "ValueError"
    assert bad.output == {
        "success": False,
        "error": "Unknown operation: shout",
        "error_type": "ValueError",
    }


async def test_python_not_found_message(project: Project, make_executor: MakeExecutor) -> None:
    project.write("scripts/a.py", "print('{}')")
    executor = make_executor(project.root, python_path="python3-does-not-exist")
    result = await executor.execute_script("scripts/a.py")
    assert not result.success
    assert result.error == "Python interpreter not found: python3-does-not-exist"
    assert result.error_kind == "setup"
    assert not await executor.check_python_available()


async def test_python_available_and_version(executor: PythonExecutor) -> None:
    assert await executor.check_python_available()
    info = await executor.python_info()
    assert info.version is not None and tuple(map(int, info.version.split(".")))[:2] >= (3, 8)


async def test_timeout_message_and_stderr_kept(project: Project, executor: PythonExecutor) -> None:
    project.write(
        "scripts/slow.py",
        """
        import sys, time
        print("started", file=sys.stderr, flush=True)
        time.sleep(60)
        """,
    )
    result = await executor.execute_script("scripts/slow.py", timeout_ms=500)
    assert result.error == "Script execution timed out after 500ms"
    assert result.timed_out and result.exit_code is None
    assert "started" in result.stderr
    assert result.execution_time_ms < 5000


async def test_path_outside_root_message(project: Project, executor: PythonExecutor) -> None:
    for path in ("/etc/passwd", "../outside.py", "scripts/../../outside.py"):
        result = await executor.execute_script(path)
        assert result.error == "Script path validation failed: Path is outside project root"
        assert result.error_kind == "validation"


async def test_invalid_json_message(project: Project, executor: PythonExecutor) -> None:
    project.write("scripts/debug.py", 'print("Loading...")\nprint(\'{"success": true}\')\n')
    result = await executor.execute_script("scripts/debug.py")
    assert not result.success
    assert result.error is not None and result.error.startswith("Invalid JSON output from script")
    assert "Loading..." in result.error


async def test_exit_code_message(project: Project, executor: PythonExecutor) -> None:
    project.write("scripts/fails.py", "import sys\nsys.exit(1)\n")
    result = await executor.execute_script("scripts/fails.py")
    assert result.error == "Script exited with code 1"
    assert result.exit_code == 1


async def test_example_readme_command_inputs_roundtrip(
    examples: Path, make_executor: MakeExecutor
) -> None:
    inputs = json.loads((examples / "scripts/hello.inputs.json").read_text())
    result = await make_executor(examples).execute_script("scripts/hello.py", inputs)
    assert result.output is not None and result.output["message"] == "Hello, Lighthouse!"
