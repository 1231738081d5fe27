"""A declared schema a run planted with a pattern that backtracks for ever.

`<script>.schema.json` sits beside its script, where runs may write, and `run` and `test`
check inputs against it before anything starts, with jsonschema, outside the sandbox. Its
`pattern` and `patternProperties` were matched with Python's `re`, which has no time limit
and holds the interpreter: `^(a+)+$` and an inputs file of forty `a` and a `!` held the
command for good. They are matched under a time limit (`text_patterns`): the inputs are
refused, and the message says why.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

SCRIPT = "import json, sys\ninputs = json.load(sys.stdin)\nprint(json.dumps({'success': True}))\n"
DEFEATS = "a" * 40 + "!"  # what `^(a+)+$` backtracks on: every way to split the a's


def _project(project: Project, schema: dict[str, object]) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/hello.py", SCRIPT)
    project.write("scripts/hello.schema.json", json.dumps(schema))


def _run(project: Project, inputs: dict[str, object]) -> subprocess.CompletedProcess[str]:
    try:
        # subprocess.run kills the command (SIGKILL) when the time is up.
        return scriptcontract(
            "run", "scripts/hello.py", "--inputs", json.dumps(inputs), cwd=project.root, timeout=15
        )
    except subprocess.TimeoutExpired:
        pytest.fail("scriptcontract run was still checking the inputs after 15 s")


def test_a_pattern_of_the_declared_schema_is_checked_before_a_run(project: Project) -> None:
    """The positive control of the tests below: a pattern that does not backtrack refuses
    the same inputs, at once."""
    _project(project, {"properties": {"name": {"type": "string", "pattern": "^a+$"}}})
    done = _run(project, {"name": DEFEATS})
    assert done.returncode != 0
    assert "name" in done.stderr and "^a+$" in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("schema", "inputs"),
    [
        ({"properties": {"name": {"type": "string", "pattern": "^(a+)+$"}}}, {"name": DEFEATS}),
        # The key itself is what the pattern backtracks on.
        ({"patternProperties": {"^(a+)+$": {}}, "additionalProperties": False}, {DEFEATS: 1}),
    ],
    ids=["pattern", "patternProperties"],
)
def test_a_planted_pattern_cannot_hold_the_run_command(
    project: Project, schema: dict[str, object], inputs: dict[str, object]
) -> None:
    _project(project, schema)
    done = _run(project, inputs)
    assert done.returncode != 0
    assert "was still being matched after 2 s" in done.stderr, done.stderr
