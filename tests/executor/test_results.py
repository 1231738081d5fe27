"""What a run's result says: JSON rules, exit codes, streams, encodings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project


async def run_source(project: Project, executor: PythonExecutor, source: str, **kw: object):  # type: ignore[no-untyped-def]
    project.write("scripts/case.py", source)
    return await executor.execute_script("scripts/case.py", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("print('[1, 2]')", "expected a JSON object, got an array: '[1, 2]'"),
        ("print('42')", "expected a JSON object, got a number"),
        ("print('\"text\"')", "expected a JSON object, got a string"),
        ("print('{\"a\": 1}')\nprint('{\"b\": 2}')", "more than one JSON document"),
        ("print('{\"a\": 1} trailing')", "text after the JSON"),
        ("print('step 1 done')\nprint('{\"a\": 1}')", "text before the JSON"),
        ("print('{\"a\": ')", "stdout starts '{\"a\":'"),
        ("pass", "the script wrote nothing to stdout"),
    ],
)
async def test_invalid_json_explains_and_quotes(
    project: Project, executor: PythonExecutor, source: str, fragment: str
) -> None:
    result = await run_source(project, executor, source)
    assert not result.success
    assert result.error is not None
    assert result.error.startswith("Invalid JSON output from script: ")
    assert fragment in result.error
    assert result.error_kind == "output"


async def test_invalid_utf8_stdout(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project, executor, 'import sys\nsys.stdout.buffer.write(b\'{"a": "\\xff"}\')'
    )
    assert result.error is not None
    assert "not valid UTF-8 (byte 0xff at offset 7)" in result.error
    assert "\ufffd" in result.stdout  # raw stdout is kept, replacement-decoded


async def test_unicode_both_streams(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project,
        executor,
        """
        import json, sys
        print("naïve ☃ 🚀", file=sys.stderr)
        print(json.dumps({"text": "naïve ☃ 🚀"}, ensure_ascii=False))
        """,
    )
    assert result.success, result.error
    assert result.output == {"text": "naïve ☃ 🚀"}
    assert result.stderr == "naïve ☃ 🚀\n"


async def test_invalid_utf8_stderr_is_replaced(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project,
        executor,
        "import sys\nsys.stderr.buffer.write(b'bad \\xfe byte')\nprint('{}')",
    )
    assert result.success
    assert result.stderr == "bad \ufffd byte"


async def test_error_object_on_nonzero_exit(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project,
        executor,
        """
        import json, sys
        print(json.dumps({"success": False, "error": "no such user", "error_type": "LookupError"}))
        sys.exit(1)
        """,
    )
    assert result.error == "no such user"
    assert result.error_type == "LookupError"
    assert result.exit_code == 1
    assert result.output == {"success": False, "error": "no such user", "error_type": "LookupError"}


@pytest.mark.parametrize("code", [1, 2, 3, 42])
async def test_exit_codes_without_json(
    project: Project, executor: PythonExecutor, code: int
) -> None:
    result = await run_source(project, executor, f"import sys\nsys.exit({code})")
    assert result.error == f"Script exited with code {code}"
    assert result.exit_code == code
    assert not result.success


async def test_uncaught_exception_names_its_type(
    project: Project, executor: PythonExecutor
) -> None:
    result = await run_source(project, executor, "inputs = {}\nname = inputs['name']\n")
    assert result.error == "Script exited with code 1"
    assert result.error_type == "KeyError"
    assert "Traceback (most recent call last)" in result.stderr
    assert 'File "' in result.stderr and 'case.py", line 2' in result.stderr
    assert "bootstrap" not in result.stderr  # the sandbox's own frame is not shown


LATIN_1_COMMENT = b'import json\n# caf\xe9\nprint(json.dumps({"success": True}))\n'


@pytest.mark.parametrize(
    ("source", "runs"),
    [
        pytest.param(LATIN_1_COMMENT, False, id="undeclared"),
        pytest.param(b"# -*- coding: latin-1 -*-\n" + LATIN_1_COMMENT, True, id="declared"),
    ],
)
async def test_a_script_that_is_not_utf8_runs_only_as_python_would_run_it(
    project: Project, executor: PythonExecutor, source: bytes, runs: bool
) -> None:
    # Compiling the bytes decodes only tokens, so a comment that is not UTF-8 passed, and
    # the script failed only once deployed. The interpreter run directly is the reference.
    script = project.root / "scripts" / "case.py"
    script.write_bytes(source)
    direct = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert (direct.returncode == 0) is runs
    result = await executor.execute_script("scripts/case.py")
    assert result.success is runs
    if not runs:
        assert result.exit_code == 1
        assert result.stderr.strip() == direct.stderr.strip()
        assert "Non-UTF-8 code starting with '\\xe9'" in result.stderr


async def test_success_false_with_exit_zero_is_a_failure(
    project: Project, executor: PythonExecutor
) -> None:
    result = await run_source(
        project, executor, 'print(\'{"success": false, "error": "quota exceeded"}\')'
    )
    assert not result.success
    assert result.exit_code == 0
    assert result.error == "Script reported failure but exited with code 0: quota exceeded"
    assert result.output == {"success": False, "error": "quota exceeded"}


async def test_sys_exit_message_is_exit_one(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(project, executor, "import sys\nsys.exit('bad input')")
    assert result.exit_code == 1
    assert "bad input" in result.stderr


async def test_killed_by_signal(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(project, executor, "import os, signal\nos.kill(os.getpid(), 9)")
    assert not result.success
    assert result.exit_code is None
    assert result.error is not None and result.error.startswith("Script was killed by SIGKILL")


async def test_os_exit_code(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(project, executor, "import os\nos._exit(3)")
    assert result.exit_code == 3
    assert result.error == "Script exited with code 3"


async def test_stdin_gets_inputs_and_args(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project,
        executor,
        """
        import json, sys
        data = json.load(sys.stdin)
        print(json.dumps({"inputs": data, "argv": sys.argv[1:], "name": __name__}))
        """,
        inputs={"n": [1, 2], "s": "ü"},
        args=["--flag", "value"],
    )
    assert result.output == {
        "inputs": {"n": [1, 2], "s": "ü"},
        "argv": ["--flag", "value"],
        "name": "__main__",
    }


async def test_empty_inputs_are_an_empty_object(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(
        project, executor, "import sys, json\nprint(json.dumps({'raw': sys.stdin.read()}))"
    )
    assert result.output == {"raw": "{}"}


async def test_inputs_not_serialisable_refused_before_run(
    project: Project, executor: PythonExecutor
) -> None:
    marker = project.root / "ran"
    result = await run_source(
        project, executor, f"open({str(marker)!r}, 'w').close()", inputs={"s": {1, 2}}
    )
    assert not result.success
    assert result.error is not None
    assert result.error.startswith("Inputs are not JSON-serialisable:")
    assert "set" in result.error
    assert result.error_kind == "validation"
    assert not marker.exists()


async def test_script_imports_sibling_module(project: Project, executor: PythonExecutor) -> None:
    project.write("scripts/helpers.py", "def greet(n):\n    return 'hi ' + n\n")
    result = await run_source(
        project,
        executor,
        "import json\nfrom helpers import greet\nprint(json.dumps({'g': greet('x')}))",
    )
    assert result.output == {"g": "hi x"}


async def test_working_directory_is_project_root(
    project: Project, executor: PythonExecutor
) -> None:
    project.write("data/in.txt", "content")
    result = await run_source(
        project,
        executor,
        """
        import json, os
        print(json.dumps({'cwd': os.getcwd(), 'text': open('data/in.txt').read()}))
        """,
    )
    assert result.output == {"cwd": str(project.root.resolve()), "text": "content"}


async def test_missing_script_is_a_clear_error(executor: PythonExecutor) -> None:
    result = await executor.execute_script("scripts/nope.py")
    assert result.error == "Script not found: scripts/nope.py"
    assert result.error_kind == "validation"


async def test_nonpositive_timeout_refused(project: Project, executor: PythonExecutor) -> None:
    result = await run_source(project, executor, "print('{}')", timeout_ms=0)
    assert result.error == "timeout_ms must be positive, got 0"
