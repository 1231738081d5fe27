"""A configuration a run planted below the project's, for `run`, `test` and `doctor`.

`check` and the editor use a nested configuration only once vouched for (git tracks it as it
is, or the user trusted its content); `run` and `test` used its neutral settings as they
found them: `[executor] env` (a proxy, a CA bundle or the API's address for the scripts the
user runs next), `input-path-keys`. And `doctor` started its `[executor] python` outside the
sandbox, trusted or not. Each now goes `check`'s way (`nested_configs.vouched_config`), and
each refusal stands beside its controls: the same file, vouched for, counts.

Without git, the top is where the command was started (or the folder `test` is given), as
for `check`; a folder named with `run --root` is the user's project whatever lies above it,
so the README's first command works in a copy of the repository without git.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract, stage_in_git
from tests.conftest import REPO, Project

PLANTED = "scripts/scriptcontract.toml"
# `include`: the nested project's root is scripts/, where the default glob (scripts/**/*.py)
# matches nothing, and `test`, as `check`, would pass over its scripts once it is vouched for.
SETTINGS = {
    "env": "include = ['*.py']\n[executor]\nenv = {API_URL = 'https://planted.invalid'}\n",
    "input-path-keys": "include = ['*.py']\ninput-path-keys = '^target$'\n",
}
# What the script sees: the planted address, or its input path refused before the run.
INPUTS = {"env": {}, "input-path-keys": {"target": "/etc/hostname"}}
COUNTED = {"env": "https://planted.invalid", "input-path-keys": "Input path validation failed"}
ECHO = """
import json, os, sys
inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "api": os.environ.get("API_URL"), "inputs": inputs}))
"""
# Writes each [name, text, mode] it is given, as any script may below its project's top.
WRITES = """
import json, os, sys
for name, text, mode in json.load(sys.stdin)["files"]:
    os.makedirs(os.path.dirname(name), exist_ok=True)
    handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.write(handle, text.encode())
    os.close(handle)
print(json.dumps({"success": True}))
"""


def _state(tmp_path: Path) -> dict[str, str]:
    return {"XDG_STATE_HOME": str(tmp_path / "state")}


def _project(project: Project, tmp_path: Path, files: list[tuple[str, str, int]]) -> Path:
    """The project, with `files` planted in it by a real run (the sandbox lets it)."""
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("tools/plant.py", WRITES)
    project.write("scripts/echo.py", ECHO)
    ran = scriptcontract(
        "run",
        "tools/plant.py",
        "--inputs",
        json.dumps({"files": files}),
        cwd=project.root,
        env=_state(tmp_path),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    for name, text, _mode in files:
        assert (project.root / name).read_text() == text
    return project.root / files[0][0]


def _vouch(project: Project, tmp_path: Path, how: str, planted: Path) -> None:
    if how == "staged":
        stage_in_git(project.root, os.path.relpath(planted, project.root))
        return
    trusted = scriptcontract("trust", str(planted), cwd=project.root, env=_state(tmp_path))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr


def _refused_for_being_planted(output: str, planted: Path) -> None:
    assert f"{planted}: a configuration below the one in" in output, output
    assert "a run may have written it (to change how its scripts run)" in output
    # No git here to stage it in: trusting it is the way.
    assert f"`scriptcontract trust {planted}`" in output and "git add" not in output


@pytest.mark.parametrize("how", ["staged", "trusted"])
@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_a_planted_configuration_changes_no_run_until_vouched_for(
    project: Project, tmp_path: Path, setting: str, how: str
) -> None:
    planted = _project(project, tmp_path, [(PLANTED, SETTINGS[setting], 0o644)])
    args = ("run", "scripts/echo.py", "--json", "--inputs", json.dumps(INPUTS[setting]))
    refused = scriptcontract(*args, cwd=project.root, env=_state(tmp_path))
    assert refused.returncode == 2 and refused.stdout == "", refused.stdout + refused.stderr
    _refused_for_being_planted(refused.stderr, planted)
    assert COUNTED[setting] not in refused.stderr
    # One message, the refusal itself: not followed by one that calls the file erroneous.
    (line,) = refused.stderr.splitlines()
    assert line.startswith("scriptcontract run: error: ") and line.endswith("; nothing was run")
    # Where its folder is not the top only because of where run started, naming it is the
    # other way (no git, so no repository to stage it in).
    assert f"`--root {planted.parent}`" in refused.stderr

    # The control: vouched for (staged, or trusted), the same file counts.
    _vouch(project, tmp_path, how, planted)
    counted = scriptcontract(*args, cwd=project.root, env=_state(tmp_path))
    assert COUNTED[setting] in counted.stdout + counted.stderr, counted.stdout + counted.stderr


@pytest.mark.parametrize("how", ["staged", "trusted"])
@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_a_planted_configuration_changes_no_case_until_vouched_for(
    project: Project, tmp_path: Path, setting: str, how: str
) -> None:
    """`test scripts`, the very folder the run planted in: a folder named to `test` is a
    top as the folder it starts in is, and the project's configuration lies above it."""
    planted = _project(project, tmp_path, [(PLANTED, SETTINGS[setting], 0o644)])
    case = {"name": "echoes", "inputs": INPUTS[setting], "expect": {"success": True}}
    project.write("scripts/echo.cases.json", json.dumps({"cases": [case]}))
    refused = scriptcontract("test", "scripts", cwd=project.root, env=_state(tmp_path))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "no case was run" in refused.stdout
    _refused_for_being_planted(refused.stdout, planted)
    assert "has errors" not in refused.stdout  # it has none: nobody vouched for it
    assert "start from its own folder" not in refused.stdout  # none would make it the top

    # The control: vouched for, the same file counts (the case runs, with it).
    _vouch(project, tmp_path, how, planted)
    counted = scriptcontract(
        "test", "scripts", "--format", "json", cwd=project.root, env=_state(tmp_path)
    )
    (result,) = json.loads(counted.stdout)["files"][0]["cases"]
    assert COUNTED[setting] in json.dumps(result), result


def test_doctor_starts_no_planted_interpreter(project: Project, tmp_path: Path) -> None:
    """`doctor` probes the configuration's interpreter outside the sandbox: one a run
    planted with its configuration in `scripts/` was started by `cd scripts && doctor`."""
    marker = tmp_path / "started"
    wrapper = f'#!/bin/sh\n: > "{marker}"\nexec "{sys.executable}" "$@"\n'
    python = project.root / "scripts/python"
    setting = f"[executor]\npython = '{python}'\n"
    planted = _project(
        project, tmp_path, [(PLANTED, setting, 0o644), (str(python), wrapper, 0o755)]
    )
    refused = scriptcontract("doctor", cwd=project.root / "scripts", env=_state(tmp_path))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    _refused_for_being_planted(refused.stderr, planted)
    assert not marker.exists()

    # The control: trusted (its content and its interpreter), the planted one is started.
    _vouch(project, tmp_path, "trusted", planted)
    probed = scriptcontract("doctor", cwd=project.root / "scripts", env=_state(tmp_path))
    assert marker.exists(), probed.stdout + probed.stderr


def test_doctor_starts_no_interpreter_nobody_trusted(project: Project, tmp_path: Path) -> None:
    """The project's own configuration (no run writes it), its interpreter not trusted:
    `run` refused it, `doctor` started it."""
    marker = tmp_path / "started"
    python = project.root / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f'#!/bin/sh\n: > "{marker}"\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    project.write("scriptcontract.toml", f"[executor]\npython = '{python}'\n")
    refused = scriptcontract("doctor", cwd=project.root, env=_state(tmp_path))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f'loosens the sandbox (executor.python = "{python}")' in refused.stderr
    assert not marker.exists()
    # The control: trusted, it is started.
    assert scriptcontract("trust", cwd=project.root, env=_state(tmp_path)).returncode == 0
    scriptcontract("doctor", cwd=project.root, env=_state(tmp_path))
    assert marker.exists()


def _repository_copy(tmp_path: Path, examples: Path) -> Path:
    """A copy of the repository without git, as far as examples/ is concerned: its
    `pyproject.toml` above (a configuration above `examples/scriptcontract.toml`)."""
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    assert examples.parent == tmp_path and not (tmp_path / ".git").exists()
    return tmp_path


def test_the_readmes_first_command_works_in_a_copy_without_git(
    examples: Path, tmp_path: Path
) -> None:
    top = _repository_copy(tmp_path, examples)
    args = ("run", "examples/scripts/hello.py", "--root", "examples")
    done = scriptcontract(*args, "--inputs", '{"name": "Lighthouse"}', cwd=top)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["message"] == "Hello, Lighthouse!"
    # Named the project, the folder is the user's choice; found, it is nested in the
    # copy's, which nothing vouches for: refused, saying the ways.
    found = scriptcontract("run", "examples/scripts/hello.py", cwd=top)
    assert found.returncode == 2 and found.stdout == "", found.stderr
    config = examples / "scriptcontract.toml"
    assert f"`scriptcontract trust {config}`" in found.stderr and "git add" not in found.stderr
    assert f"`--root {examples}`" in found.stderr


def test_the_examples_cases_run_in_a_copy_without_git_once_trusted(
    examples: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`test examples` in the copy: a configuration below another, with no git, is one a
    run could have written, whatever folder `test` is given (`test scripts` would be the
    attack); trusted, the cases run."""
    top = _repository_copy(tmp_path, examples)
    config = examples / "scriptcontract.toml"
    # The trust record outside the copy: one inside a project a run could write vouches
    # for nothing.
    state = {"XDG_STATE_HOME": str(tmp_path_factory.mktemp("state"))}
    refused = scriptcontract("test", "examples", cwd=top, env=state)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"`scriptcontract trust {config}`" in refused.stdout
    assert "git add" not in refused.stdout and "✓" not in refused.stdout
    trusted = scriptcontract("trust", str(config), cwd=top, env=state)
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    ran = scriptcontract("test", "examples", cwd=top, env=state)
    assert ran.returncode == 1, ran.stdout + ran.stderr  # one example is meant to fail
    assert "✓ greets by name" in ran.stdout


@pytest.mark.parametrize("how", ["staged", "trusted"])
def test_a_planted_configuration_chooses_nothing_for_new_until_vouched_for(
    project: Project, tmp_path: Path, how: str
) -> None:
    """`new` writes where a configuration's `include` and `exclude` say a script belongs:
    one a run planted in `scripts/` chose it (and the script would run under it)."""
    setting = "include = ['*.py']\nexclude = ['planted_*.py']\n"
    planted = _project(project, tmp_path, [(PLANTED, setting, 0o644)])
    refused = scriptcontract("new", "scripts/planted_x.py", cwd=project.root, env=_state(tmp_path))
    assert refused.returncode == 2 and refused.stdout == "", refused.stdout + refused.stderr
    _refused_for_being_planted(refused.stderr, planted)
    (line,) = refused.stderr.splitlines()
    assert line.endswith("; nothing was written") and "exclude" not in line
    assert not (project.root / "scripts/planted_x.py").exists()

    # The control: vouched for, the same file counts: its `exclude` refuses that name, and
    # its `include` takes a script at the top of its folder.
    _vouch(project, tmp_path, how, planted)
    excluded = scriptcontract("new", "scripts/planted_x.py", cwd=project.root, env=_state(tmp_path))
    assert excluded.returncode == 2, excluded.stdout + excluded.stderr
    assert f"planted_x.py matches an `exclude` glob of {planted}" in excluded.stderr
    written = scriptcontract("new", "scripts/mine.py", cwd=project.root, env=_state(tmp_path))
    assert written.returncode == 0, written.stdout + written.stderr
    assert (project.root / "scripts/mine.py").is_file()
