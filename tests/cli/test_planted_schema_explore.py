"""`test --explore` on a declared schema a project wrote.

The explorer makes inputs from `<script>.schema.json` and runs only those the schema
accepts, checked outside the sandbox. Its validator was made apart from the inputs check's:
a pattern that backtracks for ever (`^(a+)+$`), given the string the script compares an input
with (forty `a` and a `!`, which the explorer tries), held the command for good, SIGTERM
included (the match holds the interpreter); a schema referring to itself (`{"$ref": "#"}`)
ended it with a `RecursionError` traceback (the fourteenth red team). Every validator of a
declared schema is now made by `schema_check.schema_validator` (patterns matched with a time
limit, nothing retrieved), and an input it cannot check is not run.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scriptcontract.schema_check import schema_validator
from scriptcontract.text_patterns import PatternTooSlow
from tests.cli.runner import scriptcontract
from tests.conftest import Project

DEFEATS = "a" * 40 + "!"  # what `^(a+)+$` backtracks on: every way to split the a's
SCRIPT = f"""
import json
import sys


def main() -> int:
    inputs = json.load(sys.stdin)
    if inputs.get("a") == {DEFEATS!r}:
        print(json.dumps({{"success": True, "seen": True}}))
        return 0
    print(json.dumps({{"success": True}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""
BACKTRACKS = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}}
ITSELF = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
# Each object requires another below it: no input ends (the generator recursed for good).
REQUIRES_ITSELF = {"type": "object", "properties": {"a": {"$ref": "#"}}, "required": ["a"]}
NONE_CHECKED = "no run started: none of the "


def test_the_planted_schemas_defeat_a_validator_left_to_itself() -> None:
    """The positive control of the test below: the self-referring schema ends jsonschema's
    own validator in a `RecursionError`, and the pattern is still being matched against the
    script's string when the time limit stops it (left to itself, for good)."""
    from jsonschema import validators

    with pytest.raises(RecursionError):
        validators.validator_for(ITSELF)(ITSELF).is_valid({"a": 1})
    with pytest.raises(PatternTooSlow):
        schema_validator(BACKTRACKS).is_valid({"a": DEFEATS})


@pytest.mark.parametrize(
    ("schema", "ran"),
    [(BACKTRACKS, True), (ITSELF, False), (REQUIRES_ITSELF, False)],
    ids=["backtracks", "refers-to-itself", "requires-itself"],
)
def test_explore_ends_cleanly_on_a_planted_schema(
    project: Project, tmp_path: Path, schema: dict[str, object], ran: bool
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/job.py", SCRIPT)
    project.write("scripts/job.schema.json", json.dumps(schema))
    try:
        # subprocess.run kills the command (SIGKILL) when the time is up.
        done = scriptcontract(
            "test", "--explore", "scripts/job.py", "--max-runs", "2", cwd=project.root, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("scriptcontract test --explore was still checking inputs after 30 s")
    assert "Traceback" not in done.stderr, done.stderr
    if ran:
        assert done.returncode == 0, done.stderr
        assert "no failure in" in done.stdout + done.stderr
    else:
        # Nothing the schema accepts could be made: said, not "no failure in 0 runs".
        assert done.returncode == 2 and NONE_CHECKED in done.stderr, done.stderr
        assert "passed its own check" in done.stderr and "no failure" not in done.stdout
