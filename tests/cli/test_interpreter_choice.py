"""The interpreter runs use, as a user with a project virtual environment meets it: a relative
`executor.python` is the project's (found from whatever folder `run` starts in), a relative
`--python` is the shell's, and a run that cannot import a module says which interpreter it
ran with, and which of the project's environments has the module.

Each environment here is a real one (`venv`, without pip) holding a module of the test's
own, so that the run succeeds only under the interpreter that has it: every success is a
control that the interpreter named was the one used."""

from __future__ import annotations

import json
import os
import venv
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

USES_A_PACKAGE = """
import json
import sys

import fancylib

print(json.dumps({"success": True, "greeting": fancylib.shout(json.load(sys.stdin)["name"])}))
"""
HAS_IT = "the project's .venv/ has it"


def _environment(folder: Path, module: str | None = "fancylib") -> None:
    """A virtual environment at `folder` whose site-packages holds `module`."""
    venv.EnvBuilder(symlinks=True, with_pip=False).create(folder)
    if module is not None:
        (site,) = folder.glob("lib/python3.*/site-packages")
        (site / f"{module}.py").write_text("def shout(text):\n    return text.upper()\n")


@pytest.fixture
def state(tmp_path: Path) -> dict[str, str]:
    """The trust record in a folder of the test's own."""
    return {"XDG_STATE_HOME": str(tmp_path / "state")}


def _run(cwd: Path, script: str, state: dict[str, str], *extra: str) -> tuple[int, str]:
    """`run` as a user types it: the exit code, and what it printed on stderr."""
    done = scriptcontract("run", script, "--inputs", '{"name": "ada"}', *extra, cwd=cwd, env=state)
    return done.returncode, done.stderr


def _run_json(cwd: Path, script: str, state: dict[str, str]) -> dict[str, Any]:
    done = scriptcontract(
        "run", script, "--json", "--inputs", '{"name": "ada"}', cwd=cwd, env=state
    )
    assert done.stdout.strip(), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("started_in", ["root", "scripts"])
def test_a_relative_interpreter_in_the_configuration_is_the_projects(
    project: Project, state: dict[str, str], started_in: str
) -> None:
    _environment(project.root / ".venv")
    project.write("scripts/hello.py", USES_A_PACKAGE)
    cwd = project.root if started_in == "root" else project.root / "scripts"
    script = os.path.relpath(project.root / "scripts" / "hello.py", cwd)
    # The control: without the configuration, the default interpreter lacks the module.
    code, stderr = _run(cwd, script, state, "--root", str(project.root))
    assert code == 1 and "No module named 'fancylib'" in stderr, stderr
    project.write("scriptcontract.toml", '[executor]\npython = ".venv/bin/python"\n')
    trusted = scriptcontract("trust", str(project.root), cwd=project.root, env=state)
    assert trusted.returncode == 0, trusted.stderr
    result = _run_json(cwd, script, state)
    assert result["output"] == {"success": True, "greeting": "ADA"}, result
    assert result["python"] == str(project.root / ".venv" / "bin" / "python")


def test_a_relative_python_flag_is_from_the_folder_the_command_starts_in(
    project: Project, state: dict[str, str]
) -> None:
    _environment(project.root / ".venv")
    project.write("scripts/hello.py", USES_A_PACKAGE)
    scripts = project.root / "scripts"
    root = ("--root", str(project.root))
    code, stderr = _run(scripts, "hello.py", state, *root, "--python", "../.venv/bin/python")
    assert code == 0, stderr
    # The same words from the project root name a folder that is not there, and say where.
    code, stderr = _run(
        project.root, "scripts/hello.py", state, *root, "--python", "../.venv/bin/python"
    )
    assert code == 2
    missing = project.root.parent / ".venv" / "bin" / "python"
    assert f"Python interpreter not found: {missing}" in stderr, stderr


def test_a_missing_module_the_projects_environment_has_is_pointed_to(
    project: Project, state: dict[str, str]
) -> None:
    _environment(project.root / ".venv")
    project.write("scripts/hello.py", USES_A_PACKAGE)
    code, stderr = _run(project.root, "scripts/hello.py", state, "--root", str(project.root))
    assert code == 1
    hint = next(line for line in stderr.splitlines() if line.startswith("hint: "))
    assert "`fancylib` is not installed for " in hint
    assert HAS_IT in hint
    assert 'python = ".venv/bin/python"' in hint
    assert f"--python {project.root / '.venv' / 'bin' / 'python'}" in hint
    # Followed, the hint works.
    code, stderr = _run(
        project.root,
        "scripts/hello.py",
        state,
        "--root",
        str(project.root),
        "--python",
        str(project.root / ".venv" / "bin" / "python"),
    )
    assert code == 0, stderr


@pytest.mark.parametrize(
    ("module", "own_folder", "hint"),
    [
        ("otherlib", False, "install it there, or name the interpreter that has it"),
        (None, False, "install it there, or name the interpreter that has it"),
        (None, True, None),
    ],
    ids=["another-module-installed", "no-module-installed", "the-projects-own-package"],
)
def test_a_missing_module_no_environment_has_gets_the_general_hint(
    project: Project,
    state: dict[str, str],
    module: str | None,
    own_folder: bool,
    hint: str | None,
) -> None:
    _environment(project.root / ".venv", module)
    if own_folder:
        # A package of the project's own that the script's folder does not see: no
        # interpreter has it, so none is suggested.
        project.write("fancylib/__init__.py", "")
    project.write("scripts/hello.py", USES_A_PACKAGE)
    code, stderr = _run(project.root, "scripts/hello.py", state, "--root", str(project.root))
    assert code == 1 and "No module named 'fancylib'" in stderr, stderr
    hints = [line for line in stderr.splitlines() if line.startswith("hint: ")]
    assert HAS_IT not in stderr
    if hint is None:
        assert hints == []
    else:
        assert len(hints) == 1 and hint in hints[0], hints
