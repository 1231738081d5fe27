"""`check --output-file` into the project, where a run left a link in the report's place.

CI writes check's report into the project (`--output-file reports/check.xml`). A run (a
real one below) left `reports/check.xml` as a symbolic link to a file of the user's outside
the project, or `reports/out` as a link to a folder outside: `check` wrote its report there,
file names and messages of the run's choosing included (as root: any system file). A
report named inside the project is now opened without following a link, folder by folder;
one named outside every project is the user's to name, and is opened as named (the
positive control: the same link there is written through).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

PLANTS = """
import json, os, sys
target, link = json.load(sys.stdin)["link"]
os.makedirs(os.path.dirname(link), exist_ok=True)
os.symlink(target, link)
print(json.dumps({"success": True}))
"""
SCRIPT = "import json, sys\nprint('starting')\nprint(json.dumps({'success': True}))\n"


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "home" / ".bashrc"
    victim.parent.mkdir(exist_ok=True)
    victim.write_text("precious\n")
    return victim


@pytest.mark.parametrize(
    "link,report",
    [("reports/check.xml", "reports/check.xml"), ("reports/out", "reports/out/check.xml")],
)
def test_a_report_file_a_run_linked_out_of_the_project_is_not_written_through(
    project: Project, tmp_path: Path, link: str, report: str
) -> None:
    victim = _victim(tmp_path)
    target = str(victim if link == report else victim.parent)
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write("scripts/job.py", SCRIPT)
    project.write("tools/plant.py", PLANTS)
    (project.root / "reports").mkdir()  # a run can make no new entry at the top level
    ran = scriptcontract(
        "run",
        "tools/plant.py",
        "--inputs",
        json.dumps({"link": [target, link]}),
        cwd=project.root,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (project.root / link).is_symlink()
    done = scriptcontract(
        "check", "--output-format", "junit", "--output-file", report, cwd=project.root
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a symbolic link in its path" in done.stderr
    assert victim.read_text() == "precious\n"
    assert not (victim.parent / "check.xml").exists()

    # The control: named outside every project, the same link is the user's, followed.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "check.xml").symlink_to(victim)
    done = scriptcontract(
        "check",
        "--output-format",
        "junit",
        "--output-file",
        str(elsewhere / "check.xml"),
        cwd=project.root,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert victim.read_text().startswith("<?xml")


def test_a_report_file_in_the_project_is_written_and_its_folders_made(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write("scripts/job.py", SCRIPT)
    (project.root / "reports").mkdir()
    (project.root / "reports" / "check.xml").write_text("an older report, longer than this\n" * 99)
    for report in ("reports/check.xml", "new/deep/check.xml"):
        done = scriptcontract(
            "check", "--output-format", "junit", "--output-file", report, cwd=project.root
        )
        assert done.returncode == 1, done.stdout + done.stderr
        written = (project.root / report).read_text()
        assert written.startswith("<?xml") and "older report" not in written
