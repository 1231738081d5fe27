"""A `python3` a run left in a folder of the project that is on the user's PATH.

The interpreter is found on PATH and probed (then run) outside the sandbox, before any
confinement. With a folder of the project on PATH (direnv's `PATH_add bin`, a
`./node_modules/.bin`), a run left a `bin/python3` there, and the next run started it
unconfined: whatever it held ran as the user. An interpreter found first in a folder runs may
write (or through a relative PATH entry) is now refused, saying why; the positive control:
the same wrapper in a folder outside the project is started.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.cli.test_planted_nested_config import WRITES
from tests.conftest import Project
from tests.interpreter import environment

PLANTS = """
import json, os, sys
wrapper = json.load(sys.stdin)["wrapper"]
fd = os.open("bin/python3", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)  # no chmod needed
os.write(fd, wrapper.encode())
os.close(fd)
print(json.dumps({"success": True}))
"""
OK = "import json, sys\nsys.stdin.read()\nprint(json.dumps({'success': True}))\n"


def _run_with_path(
    root: Path, first: str, script: str = "scripts/ok.py"
) -> subprocess.CompletedProcess[str]:
    """`scriptcontract run SCRIPT` from `root` with `first` in front of PATH."""
    env = environment()
    env["PATH"] = os.pathsep.join([first, env["PATH"]])
    return subprocess.run(
        [sys.executable, "-m", "scriptcontract", "run", script, "--inputs", "{}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("entry", ["absolute", "relative"])
def test_an_interpreter_a_run_left_on_path_is_not_started(
    project: Project, tmp_path: Path, entry: str
) -> None:
    marker = tmp_path / "ran-unconfined"
    real = shlex.quote(sys.executable)
    wrapper = f'#!/bin/sh\necho ran > {shlex.quote(str(marker))}\nexec {real} "$@"\n'
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    (project.root / "bin").mkdir()  # a run makes no new entry at the top level
    project.write("scripts/plant.py", PLANTS)
    project.write("scripts/ok.py", OK)
    planted = scriptcontract(
        "run", "scripts/plant.py", "--inputs", json.dumps({"wrapper": wrapper}), cwd=project.root
    )
    assert planted.returncode == 0, planted.stdout + planted.stderr
    assert os.access(project.root / "bin/python3", os.X_OK)

    first = str(project.root / "bin") if entry == "absolute" else "bin"
    done = _run_with_path(project.root, first)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "in a folder runs of this project may write" in done.stderr, done.stderr
    assert not marker.exists()

    # The positive control: the same wrapper in a folder runs cannot write is the user's.
    outside = tmp_path / "tools"
    outside.mkdir()
    (outside / "python3").write_text(wrapper)
    (outside / "python3").chmod(0o755)
    done = _run_with_path(project.root, str(outside))
    assert done.returncode == 0, done.stdout + done.stderr
    assert marker.read_text() == "ran\n"


def test_a_python_version_a_run_planted_below_the_top_chooses_no_interpreter(
    project: Project, tmp_path: Path
) -> None:
    """`python3` as pyenv's shim: it starts the version the nearest `.python-version` names,
    from the folder it runs in. A run plants `scripts/.python-version`; the user's next
    `run`, started in `scripts/`, probed (and ran) the interpreter it named. The probe now
    runs in the project root: the root's own `.python-version` (protected) counts, which is
    the positive control that the shim reads these files at all."""
    chosen = tmp_path / "versions-chosen"
    shim = (
        "#!/bin/sh\n"
        'dir=$PWD; version=global\nwhile [ "$dir" != / ]; do\n'
        '  if [ -f "$dir/.python-version" ]; then version=$(head -n 1 "$dir/.python-version")'
        "; break; fi\n"
        '  dir=$(dirname "$dir")\ndone\n'
        f'echo "$version" >> {shlex.quote(str(chosen))}\n'
        f'exec {shlex.quote(sys.executable)} "$@"\n'
    )
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "python3").write_text(shim)
    (shims / "python3").chmod(0o755)
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(".python-version", "projects-own\n")
    project.write("scripts/plant.py", WRITES)
    project.write("scripts/ok.py", OK)
    files = {"files": [["scripts/.python-version", "planted\n"]]}
    planted = scriptcontract(
        "run", "scripts/plant.py", "--inputs", json.dumps(files), cwd=project.root
    )
    assert planted.returncode == 0, planted.stdout + planted.stderr
    assert (project.root / "scripts/.python-version").read_text() == "planted\n"

    done = _run_with_path(project.root / "scripts", str(shims), script="ok.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert chosen.read_text().split() == ["projects-own"], chosen.read_text()


REWRITES = """
import json, sys
target, text = json.load(sys.stdin)["rewrite"]
try:
    with open(target, "w") as handle:
        handle.write(text)
    outcome = "rewritten"
except OSError as exc:
    outcome = exc.strerror
print(json.dumps({"success": True, "outcome": outcome}))
"""


@pytest.mark.parametrize("named", ["shim", "link-to-shim"])
def test_an_interpreter_shim_the_user_named_in_the_project_cannot_be_rewritten_by_a_run(
    project: Project, tmp_path: Path, named: str
) -> None:
    """The user names a shim of the project as the interpreter (`--python tools/py`, or a
    trusted `executor.python`): a shell script that starts the real one. Each new process
    starts it outside the sandbox, to probe it; only the real binary it leads to was kept
    read-only, so a run rewrote the shim and the next command ran the run's code unconfined.
    The file named, and what a link of the project's leads to, are now read-only to runs.
    The positive control: another shim of the same folder, which names no interpreter, is
    the run's to rewrite."""
    marker = tmp_path / "ran-unconfined"
    real = shlex.quote(sys.executable)
    shim = f'#!/bin/sh\nexec {real} "$@"\n'
    hostile = f'#!/bin/sh\necho ran > {shlex.quote(str(marker))}\nexec {real} "$@"\n'
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    for name in ("py", "other"):
        project.write(f"tools/{name}", shim)
        (project.root / "tools" / name).chmod(0o755)
    python = "tools/py"
    if named == "link-to-shim":
        (project.root / "tools" / "python").symlink_to("py")
        python = "tools/python"
    project.write("scripts/rewrite.py", REWRITES)

    def rewrite(target: str, text: str, interpreter: str = python) -> str:
        """Run the script that rewrites `target` with `text`, started with `interpreter`."""
        inputs = json.dumps({"rewrite": [target, text]})
        done = scriptcontract(
            "run",
            "scripts/rewrite.py",
            "--python",
            interpreter,
            "--inputs",
            inputs,
            "--json",
            cwd=project.root,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outcome: str = json.loads(done.stdout)["output"]["outcome"]
        return outcome

    assert rewrite("tools/py", hostile) == "Permission denied"
    assert (project.root / "tools/py").read_text() == shim
    assert rewrite("tools/other", hostile) == "rewritten"
    # The next command starts the user's shim, unchanged: nothing ran unconfined.
    assert rewrite("scripts/scratch", "") == "rewritten"
    assert not marker.exists()
    # The control: the shim a run could rewrite, once named, runs the run's code outside
    # the sandbox (its probe).
    assert rewrite("scripts/scratch", "", interpreter="tools/other") == "rewritten"
    assert marker.read_text() == "ran\n"
