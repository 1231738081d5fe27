"""Protected project paths are read-only to runs, enforced by the kernel before anything changes.

Each attack runs twice on identical projects: with the sandbox's file confinement, where it
must be refused and leave every protected path as it was, and without it (the positive
control), where it must change what it aims at. A script that silently did nothing would
fail the control, so no test here passes by an attack not happening.
"""

from __future__ import annotations

import os
import subprocess
import venv as venv_module
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.executor import SandboxPolicy
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import needs_landlock

pytestmark = needs_landlock()

# Runs every step of ATTACK and reports, per step, "done" or the error it got.
RUNNER = """
import json, os, sys
STEPS = {steps}
done = {{}}
for name, code in STEPS:
    try:
        exec(code)
        done[name] = "done"
    except OSError as exc:
        done[name] = exc.strerror or type(exc).__name__
print(json.dumps({{"success": True, "steps": done}}))
"""


@dataclass(frozen=True)
class Attack:
    name: str
    # (step name, Python code run by exec); "prepare" steps work inside data/, the others
    # aim at a protected path.
    steps: list[tuple[str, str]]
    extra_layout: Callable[[Path], None] | None = None
    protected_paths: tuple[str, ...] | None = None  # the policy's, when not the default

    def script(self) -> str:
        return RUNNER.format(steps=repr(self.steps))


def _layout(root: Path) -> None:
    (root / "pyproject.toml").write_text("[tool.scriptcontract]\n")
    (root / ".git/hooks").mkdir(parents=True)
    (root / ".git/hooks/pre-commit.sample").write_text("#!/bin/sh\n")
    (root / ".git/config").write_text("[core]\n")
    (root / ".git/objects").mkdir()
    (root / "data").mkdir()
    (root / "scripts").mkdir()
    (root / "README.md").write_text("readme\n")


def _venv(root: Path) -> None:
    site = root / ".venv/lib/python3/site-packages"
    site.mkdir(parents=True)
    (root / ".venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    (root / "data/env/lib").mkdir(parents=True)  # a venv below the top level, not in use
    (root / "data/env/pyvenv.cfg").write_text("home = /usr/bin\n")


def _tools(root: Path) -> None:
    (root / "tools/.venv").mkdir(parents=True)
    (root / "tools/.venv/marker").write_text("x")
    (root / "tools/other").mkdir()


ATTACKS = [
    Attack(
        "git_dir_swapped_for_a_symlink_out",
        [
            ("move", "os.rename('.git', 'data/moved-git')"),
            ("link", "os.symlink('/tmp', '.git')"),
        ],
    ),
    Attack(
        "git_dir_swapped_for_a_gitdir_file",
        [
            ("remove", "import shutil; shutil.rmtree('.git')"),
            ("file", "open('.git', 'w').write('gitdir: data/evil\\n')"),
        ],
    ),
    Attack("hook_planted", [("hook", "open('.git/hooks/pre-commit', 'w').write('#!/bin/sh\\n')")]),
    Attack(
        "fsmonitor_in_git_config",
        [("config", "open('.git/config', 'a').write('[core]\\n\\tfsmonitor = data/evil.sh\\n')")],
    ),
    Attack(
        "tree_deeper_than_the_recursion_limit",
        [("deep", "os.chdir('.git/objects')\nfor _ in range(1100): os.mkdir('d'); os.chdir('d')")],
    ),
    Attack(
        "more_entries_than_a_guard_would_keep",
        [("many", "[open(f'.git/objects/f{i}', 'w').close() for i in range(3000)]")],
    ),
    Attack(
        "sandbox_configuration_rewritten",
        [
            ("pyproject", "open('pyproject.toml', 'w').write('[tool.scriptcontract.sandbox]\\n')"),
            ("scriptcontract", "open('scriptcontract.toml', 'w').write('[sandbox]\\n')"),
        ],
    ),
    Attack(
        "configuration_replaced_by_rename",
        [
            (
                "prepare",
                "open('data/pyproject.toml', 'w').write('[tool.scriptcontract.sandbox]\\n')",
            ),
            ("swap", "os.replace('data/pyproject.toml', 'pyproject.toml')"),
        ],
    ),
    Attack(
        "editor_and_direnv_files_created",
        [
            ("vscode", "os.makedirs('.vscode'); open('.vscode/tasks.json', 'w').write('{}')"),
            ("envrc", "open('.envrc', 'w').write('echo planted\\n')"),
            ("pre_commit", "open('.pre-commit-config.yaml', 'w').write('repos: []\\n')"),
        ],
    ),
    Attack(
        "pth_planted_in_the_project_venv",
        [("pth", "open('.venv/lib/python3/site-packages/x.pth', 'w').write('import os\\n')")],
        extra_layout=_venv,
    ),
    Attack(
        "venv_configuration_rewritten",
        [("cfg", "open('.venv/pyvenv.cfg', 'w').write('home = data\\n')")],
        extra_layout=_venv,
    ),
    Attack(
        "protected_path_below_the_top_level",
        [("inside", "open('tools/.venv/marker', 'w').write('changed')")],
        extra_layout=_tools,
        protected_paths=("tools/.venv",),
    ),
]


def _snapshot(root: Path) -> dict[str, Any]:
    """Every path of the project but data/ and scripts/ (the script's to change), by kind,
    content, mode and link target. Iterative: a tree may be deeper than the recursion limit."""
    found: dict[str, Any] = {}
    todo = [""]
    while todo:
        relative = todo.pop()
        for name in sorted(os.listdir(os.path.join(root, relative) if relative else root)):
            key = f"{relative}/{name}" if relative else name
            if key in ("data", "scripts"):
                continue
            path = os.path.join(root, key)
            info = os.lstat(path)
            if os.path.islink(path):
                found[key] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[key] = ("dir", info.st_mode)
                todo.append(key)
            else:
                found[key] = ("file", info.st_mode, Path(path).read_bytes())
    return found


async def _attack(
    make_executor: MakeExecutor, root: Path, attack: Attack, *, filesystem: bool
) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    _layout(root)
    if attack.extra_layout is not None:
        attack.extra_layout(root)
    (root / "scripts/attack.py").write_text(attack.script())
    policy: dict[str, Any] = {"filesystem": filesystem}
    if attack.protected_paths is not None:
        policy["protected_paths"] = list(attack.protected_paths)
    before = _snapshot(root)
    executor = make_executor(root, sandbox=SandboxPolicy(**policy), default_timeout_ms=20000)
    result = await executor.execute_script("scripts/attack.py")
    assert result.success, (result.error, result.stderr[-500:])
    assert result.output is not None
    steps: dict[str, str] = result.output["steps"]
    return steps, before, _snapshot(root)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
async def test_protected_paths_cannot_be_changed(
    tmp_path: Path, make_executor: MakeExecutor, attack: Attack
) -> None:
    # The positive control: without file confinement the attack changes what it aims at.
    control = tmp_path / "control"
    control.mkdir()
    steps, before, after = await _attack(make_executor, control, attack, filesystem=False)
    assert set(steps.values()) == {"done"}, steps
    assert before != after
    # rm, not shutil.rmtree: the tree may be deeper than Python's recursion limit.
    subprocess.run(["rm", "-rf", str(control)], check=True, timeout=60)

    root = tmp_path / "project"
    root.mkdir()
    steps, before, after = await _attack(make_executor, root, attack, filesystem=True)
    aimed = {name: got for name, got in steps.items() if name != "prepare"}
    assert "done" not in aimed.values(), steps
    assert {"Permission denied", "Operation not permitted"} & set(aimed.values()), steps
    assert after == before


async def test_the_rest_of_the_project_stays_the_scripts(
    tmp_path: Path, make_executor: MakeExecutor
) -> None:
    _layout(tmp_path)
    _venv(tmp_path)
    steps = [
        ("data", "open('data/out.json', 'w').write('{}')"),
        ("subfolder", "os.makedirs('data/a/b'); os.rename('data/out.json', 'data/a/b/o.json')"),
        ("readme", "open('README.md', 'a').write('more\\n')"),
        ("itself", "os.remove('scripts/attack.py')"),
        ("venv_below", "open('data/env/lib/x.txt', 'w').write('x')"),
    ]
    (tmp_path / "scripts/attack.py").write_text(Attack("ok", steps).script())
    result = await make_executor(tmp_path).execute_script("scripts/attack.py")
    assert result.success, result.error
    assert result.output == {"success": True, "steps": dict.fromkeys(dict(steps), "done")}
    assert (tmp_path / "README.md").read_text() == "readme\nmore\n"


async def test_the_top_level_keeps_its_entries(tmp_path: Path, make_executor: MakeExecutor) -> None:
    """The cost of the layout: nothing is created or removed next to the protected paths."""
    _layout(tmp_path)
    steps = [
        ("create", "open('new.json', 'w').write('{}')"),
        ("remove", "os.remove('README.md')"),
        ("mkdir", "os.mkdir('output')"),
    ]
    (tmp_path / "scripts/attack.py").write_text(Attack("top", steps).script())
    result = await make_executor(tmp_path).execute_script("scripts/attack.py")
    assert result.output == {
        "success": True,
        "steps": dict.fromkeys(dict(steps), "Permission denied"),
    }
    # The positive control: without file confinement, the same steps go through.
    (tmp_path / "scripts/attack.py").write_text(Attack("top", steps).script())
    unconfined = make_executor(tmp_path, sandbox=SandboxPolicy(filesystem=False))
    result = await unconfined.execute_script("scripts/attack.py")
    assert result.output == {"success": True, "steps": dict.fromkeys(dict(steps), "done")}


async def test_an_interpreter_inside_the_project_is_kept_read_only(
    tmp_path: Path, make_executor: MakeExecutor
) -> None:
    """A venv below the top level, in no list, is protected when it is the one runs use."""
    _layout(tmp_path)
    venv = tmp_path / "tools/env"
    venv_module.EnvBuilder(symlinks=True, with_pip=False).create(venv)
    site = os.path.relpath(next(venv.glob("lib/*/site-packages")), tmp_path)
    steps = [("pth", f"open({site + '/x.pth'!r}, 'w').close(); os.remove({site + '/x.pth'!r})")]
    (tmp_path / "scripts/attack.py").write_text(Attack("interpreter", steps).script())
    # The positive control: run by another interpreter, the folder is the script's to write.
    result = await make_executor(tmp_path).execute_script("scripts/attack.py")
    assert result.output == {"success": True, "steps": {"pth": "done"}}, result.error
    executor = make_executor(tmp_path, python_path=str(venv / "bin/python"))
    result = await executor.execute_script("scripts/attack.py")
    assert result.output == {"success": True, "steps": {"pth": "Permission denied"}}, result.error
