"""The environment scriptcontract itself runs from, when it lies inside the project.

A project may hold the virtual environment its tools run from below its top level
(`tools/env`: only top-level ones were protected), and the editor's language server starts
with the interpreter selected for the workspace. The runs' interpreter is protected, but the
command's (or the server's) own was not: a run wrote a `.pth` file into its site-packages,
and the next `scriptcontract` command, or the server's next start, ran it without any
sandbox. The environment this process runs from is kept read-only like the runs' own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import Project
from tests.interpreter import environment
from tests.time_limits import run_bound

PLANTER = """
import glob, json, sys
sys.stdin.read()
site = glob.glob(sys.argv[1] + "/lib/python3*/site-packages")[0]
try:
    with open(site + "/zz_planted.pth", "w") as handle:
        handle.write("import pathlib; pathlib.Path(%r).touch()\\n" % sys.argv[2])
except PermissionError as exc:
    print(json.dumps({"success": False, "error": exc.strerror}))
else:
    print(json.dumps({"success": True}))
"""


def _environment_with_scriptcontract(folder: Path) -> Path:
    """A virtual environment that imports scriptcontract (and its dependencies) from where
    this test process does, as an editable install would: its interpreter."""
    venv.EnvBuilder(symlinks=True, with_pip=False).create(folder)
    site = next(folder.glob("lib/python3*/site-packages"))
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    (site / "_tests_import_from.pth").write_text("\n".join(paths) + "\n")
    return folder / "bin" / "python"


def _scriptcontract(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "scriptcontract", *args],
        cwd=cwd,
        input="{}",
        capture_output=True,
        text=True,
        timeout=run_bound(),
        env=environment(dict(os.environ)),
    )


def test_a_run_cannot_plant_code_in_the_environment_scriptcontract_runs_from(
    project: Project, tmp_path: Path
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/planter.py", PLANTER)
    own = _environment_with_scriptcontract(project.root / "tools" / "env")
    other = project.root / "tools" / "other"
    other_python = _environment_with_scriptcontract(other)
    marker = tmp_path / "ran-outside-the-sandbox"

    # The positive control: another environment of the project, which neither this command
    # nor its runs use, is the run's to write, and what it plants there runs at the next
    # start of its interpreter.
    done = _scriptcontract(
        own, project.root, "run", "scripts/planter.py", "--", "tools/other", str(marker)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    subprocess.run([str(other_python), "-c", "pass"], check=True, timeout=30)
    assert marker.exists()
    marker.unlink()

    done = _scriptcontract(
        own, project.root, "run", "scripts/planter.py", "--", "tools/env", str(marker)
    )
    assert done.returncode == 1 and "Permission denied" in done.stdout, done.stdout + done.stderr
    assert not list((project.root / "tools/env").glob("lib/*/site-packages/zz_planted.pth"))
    again = _scriptcontract(own, project.root, "--version")
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
