"""Snapshots of the schemas inferred for the example scripts: a change in the inference shows
here as a diff to review. After a change that is right, write them again with
`python -m tests.contract.test_example_schemas`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scriptcontract.contract.input_schema import infer_input_schema
from scriptcontract.contract.output_schema import infer_output_schemas
from tests.conftest import EXAMPLES

SNAPSHOT = Path(__file__).with_name("example_schemas.json")


def inferred() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path in sorted((EXAMPLES / "scripts").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        schema = infer_input_schema(source)
        schema.pop("$schema")
        found[path.name] = {"inputs": schema, **infer_output_schemas(source)}
    return found


def test_the_example_scripts_schemas_are_as_reviewed() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert inferred() == expected, (
        "the inferred schemas changed: review, then `python -m tests.contract.test_example_schemas`"
    )


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(inferred(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT.name}", file=sys.stderr)
