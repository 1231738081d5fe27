"""Nothing a run's interpreter loads at start-up runs outside the sandbox.

A library in `LD_PRELOAD` (set through the executor's environment) and a `.pth` file in the
interpreter's site-packages each try to write a mark outside the project and one inside it.
The positive control runs each the ordinary way, unconfined, where both marks appear. Under
the executor the outside mark never appears (not at the interpreter probe, not when the
interpreter starts, not when the script starts a program), and the inside mark shows that
they did run: once the run was confined.
"""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.executor import PythonExecutor, SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import needs_landlock

GCC = shutil.which("gcc")

PRELOAD_SOURCE = r"""
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void mark(void) {
    const char *names[] = {"MARK_OUTSIDE", "MARK_INSIDE"};
    for (int i = 0; i < 2; i++) {
        const char *path = getenv(names[i]);
        FILE *file = path ? fopen(path, "a") : NULL;
        if (file) { fputs("loaded\n", file); fclose(file); }
    }
}
"""

STARTS_A_PROGRAM = """
import json, subprocess
subprocess.run(["true"], check=True, timeout=10)
print(json.dumps({"success": True}))
"""


@pytest.fixture
def preload(project: Project, tmp_path: Path) -> Path:
    source = tmp_path / "mark.c"
    source.write_text(PRELOAD_SOURCE)
    # In the project: a confined program may load it (from outside, Landlock would refuse).
    library = project.root / "scripts" / "mark.so"
    assert GCC is not None
    subprocess.run(
        [GCC, "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=60
    )
    return library


@needs_landlock()
@pytest.mark.skipif(GCC is None, reason="no C compiler to build the preloaded library")
async def test_ld_preload_runs_only_confined(
    project: Project, make_executor: MakeExecutor, preload: Path, tmp_path: Path
) -> None:
    outside, inside = tmp_path / "outside-mark", project.root / "scripts" / "inside-mark"
    env = {"LD_PRELOAD": str(preload), "MARK_OUTSIDE": str(outside), "MARK_INSIDE": str(inside)}
    # The positive control: loaded the ordinary way, the library writes both marks.
    subprocess.run(["true"], env=env, check=True, timeout=10)
    assert outside.exists() and inside.exists()
    outside.unlink()
    inside.unlink()

    project.write("scripts/starts.py", STARTS_A_PROGRAM)
    executor = make_executor(project.root, env=env)
    result = await executor.execute_script("scripts/starts.py")
    assert result.success, (result.error, result.stderr[-500:])
    assert not outside.exists(), "the preloaded library ran unconfined"
    # It did run, in the program the script started: inside the sandbox.
    assert inside.read_text() == "loaded\n"


def _pth(*marks: Path) -> str:
    """A .pth file that writes each mark, whatever the environment; one line per mark: site
    reports a line that fails (the outside one, when confined) and goes on."""
    return "".join(f"import os; open({str(mark)!r}, 'a').write('site\\n')\n" for mark in marks)


@needs_landlock()
async def test_site_packages_of_the_project_are_processed_only_confined(
    project: Project, make_executor: MakeExecutor, tmp_path: Path
) -> None:
    """The interpreter's environment is the project's (a run could have planted the .pth
    file there, were it not kept read-only): its site-packages run in the sandbox only."""
    environment = project.root / "tools" / "env"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(environment)
    site = next(environment.glob("lib/python*/site-packages"))
    outside, inside = tmp_path / "outside-mark", project.root / "scripts" / "inside-mark"
    (site / "mark.pth").write_text(_pth(inside, outside))
    python = environment / "bin" / "python"
    # The positive control: started the ordinary way, the interpreter runs the .pth file.
    subprocess.run([str(python), "-I", "-c", "pass"], check=True, timeout=30)
    assert outside.exists() and inside.exists()
    outside.unlink()
    inside.unlink()

    project.write("scripts/plain.py", "import json\nprint(json.dumps({'success': True}))\n")
    executor = make_executor(project.root, python_path=str(python))
    info = await executor.python_info()
    assert info.available, info.error
    assert not outside.exists(), "the interpreter probe ran the .pth file unconfined"
    assert not inside.exists()
    result = await executor.execute_script("scripts/plain.py")
    assert result.success, (result.error, result.stderr[-500:])
    assert not outside.exists(), "the .pth file ran unconfined"
    # It ran, confined (as many times as the interpreter itself runs it: twice in a venv).
    assert set(inside.read_text().splitlines()) == {"site"}


async def test_a_warm_runner_processes_site_packages_first_only_where_no_run_writes(
    project: Project, tmp_path: Path
) -> None:
    """Where no run of the executor can write what site-packages read (an environment
    outside the project, the temp folder and the write paths), the warm runner processes
    them once for all its runs; anywhere a run could write them, each run does, confined."""
    outside_env, inside_env = tmp_path / "elsewhere" / "env", project.root / "tools" / "env"
    for environment in (outside_env, inside_env):
        venv.EnvBuilder(symlinks=True, with_pip=False).create(environment)

    async def site_first(python: Path, **policy: Any) -> bool:
        executor = PythonExecutor(
            project.root, python_path=str(python), sandbox=SandboxPolicy(**policy)
        )
        info = await executor.python_info()
        assert info.interpreter is not None, info.error
        return executor._site_first(info.interpreter)

    assert await site_first(outside_env / "bin" / "python")
    assert not await site_first(inside_env / "bin" / "python")
    assert not await site_first(
        outside_env / "bin" / "python", write_paths=[str(outside_env.parent)]
    )
