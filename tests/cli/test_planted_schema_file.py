"""A declared schema a run planted: `<script>.schema.json` as a symbolic link out of the project.

The declared schema lives beside its script, where runs may write, so a run can put a
symbolic link there to any file of the user's. `scriptcontract schema`, `run` and `test`
(and the language server) read it as a file the user named, following the link: the file
outside is read and shown (and, through the editor's "Create inputs file", its enum values
and defaults can reach the next run's inputs). Project files are read without following
links out of the project everywhere else (docs/security.md). Known gap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the declared schema is read as a file the user named, following a "
    "symbolic link a run may have planted out of the project",
)
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
