"""Nothing a run's interpreter loads at start-up runs outside the sandbox.

A library in `LD_PRELOAD` (set through the executor's environment) and a `.pth` file in the
interpreter's site-packages each try to write a mark outside the project and one inside it.
The positive control runs each the ordinary way, unconfined, where both marks appear. Under
the executor the outside mark never appears (not at the interpreter probe, not when the
interpreter starts, not when the script starts a program), and the inside mark shows that
they did run: once the run was confined.
"""

from __future__ import annotations

import os
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


SYSTEM_PYTHON = next(
    (p for p in ("/usr/bin/python3", "/usr/local/bin/python3") if os.access(p, os.X_OK)), None
)
NO_SYSTEM_INTERPRETER = (
    "a folder this user cannot write: not as root"
    if os.geteuid() == 0
    else "a folder this user cannot write: no interpreter in /usr/bin or /usr/local/bin"
    if SYSTEM_PYTHON is None
    else None
)


async def _site_first(root: Path, python: Path | str, **policy: Any) -> bool:
    executor = PythonExecutor(root, python_path=str(python), sandbox=SandboxPolicy(**policy))
    info = await executor.python_info()
    assert info.interpreter is not None, info.error
    return executor._site_first(info.interpreter)


async def test_a_warm_runner_processes_site_packages_confined_wherever_this_user_writes(
    project: Project, tmp_path: Path
) -> None:
    """An environment this user can write, in the project or outside every project, has its
    site-packages processed by each run, confined: a run of another project could have
    written there (the test below)."""
    outside_env, inside_env = tmp_path / "elsewhere" / "env", project.root / "tools" / "env"
    for environment in (outside_env, inside_env):
        venv.EnvBuilder(symlinks=True, with_pip=False).create(environment)
    assert not await _site_first(project.root, outside_env / "bin" / "python")
    assert not await _site_first(project.root, inside_env / "bin" / "python")
    assert not await _site_first(
        project.root, outside_env / "bin" / "python", write_paths=[str(outside_env.parent)]
    )


@pytest.mark.parametrize(
    "python",
    [
        pytest.param(
            SYSTEM_PYTHON,
            id="system-interpreter",
            marks=pytest.mark.skipif(
                NO_SYSTEM_INTERPRETER is not None, reason=str(NO_SYSTEM_INTERPRETER)
            ),
        )
    ],
)
async def test_a_warm_runner_processes_site_packages_first_only_where_this_user_writes_none(
    project: Project, python: str
) -> None:
    """The speed-up stays where it is sound: no run of any project, being this user, can
    write a system interpreter's site-packages."""
    assert await _site_first(project.root, python)


# What the run plants: a mark outside the projects, written when it runs unconfined. As
# sitecustomize (which site imports at start-up), and as the module that a Debian or Ubuntu
# interpreter's own sitecustomize imports when it finds it (apport's hook).
PLANTED = """
try:
    open({outside!r}, "a").write("ran\\n")
except OSError:
    pass
def install():
    pass
"""


@needs_landlock()
async def test_what_another_projects_run_planted_never_runs_before_the_sandbox(
    project: Project, tmp_path: Path
) -> None:
    """Two projects use one environment outside both, whose .pth file names a folder of the
    other project (an editable install of it). A run of the other project plants a
    `sitecustomize.py` there; this project's warm runner, started after, imported it
    before any sandbox (its own runs can write nothing there, so it processed site-packages
    first, unconfined): code a run wrote ran as the user, unconfined."""
    environment = tmp_path / "shared" / "env"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(environment)
    python = environment / "bin" / "python"
    other = tmp_path / "other-project"
    (other / "src").mkdir(parents=True)
    (other / "scripts").mkdir()
    (other / "pyproject.toml").write_text("[tool.scriptcontract]\n")
    site = next(environment.glob("lib/python*/site-packages"))
    (site / "other_project.pth").write_text(f"{other / 'src'}\n")
    outside = tmp_path / "outside-mark"
    planted = PLANTED.format(outside=str(outside))
    (other / "scripts" / "plant.py").write_text(
        "import json\n"
        "for name in ('sitecustomize.py', 'apport_python_hook.py'):\n"
        f"    open({str(other / 'src')!r} + '/' + name, 'w').write({planted!r})\n"
        "print(json.dumps({'success': True}))\n"
    )
    planting = PythonExecutor(other, python_path=str(python), mode="warm")
    result = await planting.execute_script("scripts/plant.py")
    assert result.success, (result.error, result.stderr[-500:])
    # The positive control: started the ordinary way, the interpreter runs what was planted.
    subprocess.run([str(python), "-I", "-c", "pass"], check=True, timeout=30)
    assert outside.exists()
    outside.unlink()

    project.write("scripts/plain.py", "import json\nprint(json.dumps({'success': True}))\n")
    executor = PythonExecutor(project.root, python_path=str(python), mode="warm")
    result = await executor.execute_script("scripts/plain.py")
    assert result.success, (result.error, result.stderr[-500:])
    assert result.mode == "warm"
    assert not outside.exists(), "what another project's run planted ran unconfined"
