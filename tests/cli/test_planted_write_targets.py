"""What a run leaves where scriptcontract writes next, outside the sandbox.

A run may make a symbolic link whatever it names (the sandbox only refuses following it
out). `scripts/tool.py -> ~/other/deploy.py`, then the user's `scriptcontract check --fix
scripts/*.py` (the shell names the link) wrote the fixes into the file outside the project:
the run chose a file of the user's for the next command to rewrite; `scripts/hook.py ->
../.git/hooks/post-merge`, and `check --fix scripts` rewrote a git hook no run may write.
Every write in a project now goes through `project_writes`, which writes through a link
only to where a run could have written itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptcontract.executor.project_layout import DEFAULT_PROTECTED
from tests.cli.runner import run_check, scriptcontract
from tests.conftest import Project

DEPLOY = 'import sys\nprint("deploying")\n'
OUT = "a symbolic link in its path leads outside the project"
PLANTER = """
import json, os, sys
target = json.load(sys.stdin)["target"]
os.symlink(target, "scripts/tool.py")
print(json.dumps({"planted": True}))
"""


@pytest.mark.parametrize(
    ("flag", "said"),
    [("--fix", "not written"), ("--add-noqa", "no comment added")],
)
def test_check_never_writes_through_a_link_a_run_left_out_of_the_project(
    project: Project, tmp_path: Path, flag: str, said: str
) -> None:
    project.write("scriptcontract.toml", "")
    project.write("scripts/planter.py", PLANTER)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    deploy = outside / "deploy.py"
    deploy.write_text(DEPLOY)
    before = deploy.stat()
    inputs = f'{{"target": "{deploy}"}}'
    planted = scriptcontract("run", "scripts/planter.py", "--inputs", inputs, cwd=project.root)
    assert planted.returncode == 0, planted.stderr
    link = project.root / "scripts" / "tool.py"
    assert link.is_symlink() and link.resolve() == deploy
    # The positive control: the same text, a file of the project, is written by the same
    # command (so the refusal is the link's, not the fix's).
    copy = project.write("scripts/copy.py", DEPLOY)
    done = run_check(project.root, flag, "--select", "SCR105", "scripts/tool.py", "scripts/copy.py")
    assert copy.read_text() != DEPLOY, done.stderr
    assert deploy.read_text() == DEPLOY and deploy.stat().st_ino == before.st_ino
    assert deploy.stat().st_mtime_ns == before.st_mtime_ns
    assert [p.name for p in outside.iterdir()] == ["deploy.py"]
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"scripts/tool.py: {said}: {OUT}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


LINKER = """
import json, os, sys
for name, target in json.load(sys.stdin)["links"].items():
    os.symlink(target, os.path.join("scripts", name))
print(json.dumps({"planted": True}))
"""


@pytest.mark.parametrize(
    "kept", [".git/hooks/post-merge", "tools/env/lib/sitecustomize.py", "deploy/hooks/run.py"]
)
def test_check_fix_never_writes_through_a_link_a_run_left_into_a_protected_path(
    project: Project, kept: str
) -> None:
    # Inside the project, but where no run may write: a git hook, a virtual environment
    # below the top level, a folder the project's configuration protects. The fix is the
    # file's own text fixed, and still the run chose what scriptcontract rewrites there.
    configured = [*DEFAULT_PROTECTED, "deploy/hooks"]
    project.write(
        "scriptcontract.toml",
        f"[sandbox]\nprotected-paths = {json.dumps(configured)}\n"
        if kept.startswith("deploy")
        else "",
    )
    project.write("scripts/linker.py", LINKER)
    protected = project.write(kept, DEPLOY)
    if kept.startswith("tools/env"):
        project.write("tools/env/pyvenv.cfg", "home = /usr/bin\n")
    shared = project.write("shared/job.py", DEPLOY)
    links = {"kept.py": f"../{kept}", "shared.py": "../shared/job.py"}
    inputs = json.dumps({"links": links})
    planted = scriptcontract("run", "scripts/linker.py", "--inputs", inputs, cwd=project.root)
    assert planted.returncode == 0, planted.stderr
    done = run_check(project.root, "--fix", "--select", "SCR105", "scripts")
    # The positive control: a link the run left to a folder runs may write is written through.
    assert shared.read_text() != DEPLOY, done.stderr
    assert protected.read_text() == DEPLOY
    top = {".git": ".git", "tools": "tools/env", "deploy": "deploy/hooks"}[kept.split("/")[0]]
    said = f"scripts/kept.py: not written: a symbolic link in its path leads into {top}, "
    assert said + "which runs may not write" in done.stderr, done.stderr
    assert done.returncode == 1 and "Traceback" not in done.stderr
