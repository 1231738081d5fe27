"""The interpreter is resolved to its real binary, once, with clear errors."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from pytest import MonkeyPatch

from scriptcontract.executor.interpreter import resolve_interpreter
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor


def _shim(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


async def test_shim_resolves_to_the_real_binary(tmp_path: Path) -> None:
    shim = _shim(tmp_path / "python-shim", f'exec "{sys.executable}" "$@"')
    interpreter = await resolve_interpreter(str(shim))
    assert interpreter.executable != str(shim)
    assert Path(interpreter.executable).samefile(sys.executable)
    assert interpreter.version[:2] == sys.version_info[:2]


async def test_not_python_is_a_clear_error(
    project: Project, tmp_path: Path, make_executor: MakeExecutor
) -> None:
    fake = _shim(tmp_path / "fakepython", "echo nope >&2; exit 3")
    project.write("scripts/a.py", "print('{}')")
    executor = make_executor(project.root, python_path=str(fake))
    result = await executor.execute_script("scripts/a.py")
    assert (
        result.error == f"Python interpreter not found: {fake} (it did not run as Python 3: nope)"
    )
    info = await executor.python_info()
    assert not info.available and info.error == result.error


async def test_too_old_python_refused(
    project: Project, tmp_path: Path, make_executor: MakeExecutor
) -> None:
    old = _shim(tmp_path / "python3.7", "echo /usr/bin/python3.7; echo 3.7.16")
    project.write("scripts/a.py", "print('{}')")
    result = await make_executor(project.root, python_path=str(old)).execute_script("scripts/a.py")
    assert result.error == f"{old} is Python 3.7.16; workflow scripts need Python 3.8 or newer"


async def test_a_relative_interpreter_path_is_the_projects_wherever_the_caller_runs(
    project: Project, tmp_path: Path, make_executor: MakeExecutor, monkeypatch: MonkeyPatch
) -> None:
    # An embedder's executor, started from another folder: the path names the project's
    # interpreter, not one below the caller's folder. `tools/python` exists in both, and
    # only the project's runs as Python: the other is the control that the caller's folder
    # was not looked in.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tools").mkdir(parents=True)
    _shim(elsewhere / "tools" / "python", "echo not this one >&2; exit 3")
    (project.root / "tools").mkdir()
    _shim(project.root / "tools" / "python", f'exec "{sys.executable}" "$@"')
    project.write("scripts/a.py", "import json\nprint(json.dumps({'success': True}))\n")
    monkeypatch.chdir(elsewhere)
    result = await make_executor(project.root, python_path="tools/python").execute_script(
        "scripts/a.py"
    )
    assert result.success, result.error
    assert result.python is not None and Path(result.python).samefile(sys.executable)
