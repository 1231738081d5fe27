"""A script a run left as a symbolic link to a Python file outside the project.

`scriptcontract run` found the project root from the script's resolved path: a run could
leave `scripts/tool.py` as a link to a file elsewhere, and the next run of it took the
target's folder (or the target's own project) as the root, with write access to it. The root
is found from the script as named, and a script whose path leads out of the project through a
link is not run.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import scriptcontract
from tests.conftest import Project

# Writes beside itself: into the folder the sandbox took as the project.
TOOL = """
import json, os, sys
sys.stdin.read()
here = os.path.dirname(os.path.realpath(__file__))
open(os.path.join(here, "data", "written"), "w").close()
print(json.dumps({"success": True}))
"""


def test_a_script_in_the_project_writes_beside_itself(project: Project) -> None:
    """The positive control of the test below: the same script, a file of the project."""
    project.write("scriptcontract.toml", "")
    project.write("scripts/tool.py", TOOL)
    (project.root / "scripts" / "data").mkdir()
    done = scriptcontract("run", "scripts/tool.py", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert (project.root / "scripts" / "data" / "written").exists()


def test_a_script_linked_out_of_the_project_is_not_run_with_its_folder_as_root(
    project: Project, tmp_path: Path
) -> None:
    project.write("scriptcontract.toml", "")
    outside = tmp_path / "elsewhere"
    (outside / "data").mkdir(parents=True)
    (outside / "tool.py").write_text(TOOL)
    (project.root / "scripts" / "tool.py").symlink_to(outside / "tool.py")
    done = scriptcontract("run", "scripts/tool.py", cwd=project.root)
    assert not (outside / "data" / "written").exists(), done.stderr
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a symbolic link in its path leads outside the project" in done.stderr, done.stderr
