"""A declared schema a run planted: `<script>.schema.json` as a symbolic link out of the project.

The declared schema lives beside its script, where runs may write, so a run can put a
symbolic link there to any file of the user's. `scriptcontract schema`, `run` and `test`
(and the language server) read it as a file the user named, following the link: the file
outside was read and shown (and, through the editor's "Create inputs file", its enum values
and defaults could reach the next run's inputs). It is read as a file of the script's folder
instead, never through a link out of it, as project files are read everywhere else.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import scriptcontract
from tests.conftest import Project

SCHEMA = '{"type": "object", "properties": {"token": {"enum": ["%s"]}}}\n'
MARKER = "not-a-real-token-outside-the-project"


def _project(project: Project) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/hello.py", "import json, sys\nprint(json.dumps({'success': True}))\n")


def test_a_declared_schema_in_the_project_is_read(project: Project) -> None:
    """The positive control of the test below: the same schema, as a file of the project."""
    _project(project)
    project.write("scripts/hello.schema.json", SCHEMA % MARKER)
    done = scriptcontract("schema", "scripts/hello.py", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert MARKER in done.stdout


def test_a_declared_schema_linked_out_of_the_project_is_not_read(
    project: Project, tmp_path: Path
) -> None:
    _project(project)
    outside = tmp_path / "outside" / "secret.json"
    outside.parent.mkdir()
    outside.write_text(SCHEMA % MARKER)
    (project.root / "scripts/hello.schema.json").symlink_to(outside)
    done = scriptcontract("schema", "scripts/hello.py", cwd=project.root)
    assert MARKER not in done.stdout + done.stderr
    assert "symbolic link" in done.stderr, done.stderr
