"""The output objects' schemas: success and error shapes apart, from the dicts written."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.contract.output_schema import infer_output_schemas
from tests.contract.test_input_schema import HOSTILE, SCRIPTS


def outputs(source: str) -> dict[str, dict[str, Any]]:
    return infer_output_schemas(textwrap.dedent(source))


def test_success_and_error_shapes_apart_through_main_and_a_broad_handler() -> None:
    found = outputs(
        """
        import json, sys

        def main(inputs):
            if not inputs:
                return {"success": False, "error": "no inputs"}
            return {"success": True, "count": len(inputs), "label": f"{inputs}"}

        try:
            print(json.dumps(main(json.load(sys.stdin))))
        except Exception as exc:
            print(json.dumps({"success": False, "error": str(exc), "kind": type(exc).__name__}))
            sys.exit(1)
        """
    )
    assert found["output"] == {
        "type": "object",
        "properties": {
            "success": {"type": "boolean", "const": True},
            "count": {"type": "integer"},
            "label": {"type": "string"},
        },
        "required": ["success", "count", "label"],
    }
    error = found["error"]
    assert error["properties"]["success"] == {"type": "boolean", "const": False}
    assert error["properties"]["error"] == {"type": "string"}
    assert error["properties"]["kind"] == {"type": "string"}
    # "kind" is written by one of the two error objects only.
    assert error["required"] == ["success", "error"]


def test_keys_of_one_kind_merge_their_types() -> None:
    found = outputs(
        """
        import json, sys
        if sys.argv:
            json.dump({"value": 1, "extra": None}, sys.stdout)
        else:
            json.dump({"value": 2.5}, sys.stdout)
        """
    )
    assert found == {
        "output": {
            "type": "object",
            "properties": {"value": {"type": "number"}, "extra": {"type": "null"}},
            "required": ["value"],
        }
    }


def test_a_payload_through_a_name_assigned_once_and_nested_objects() -> None:
    found = outputs(
        """
        import json
        result = {"success": True, "data": {"id": "x", "tags": []}}
        print(json.dumps(result))
        """
    )
    assert found["output"]["properties"]["data"] == {
        "type": "object",
        "properties": {"id": {"type": "string"}, "tags": {"type": "array"}},
        "required": ["id", "tags"],
    }


@pytest.mark.parametrize(
    "source",
    [
        "def (:\n",
        "print('hello')\n",
        "import json, sys\nprint(json.dumps(build()))\n",
        "import json, sys\nprint(json.dumps([1, 2]))\n",
        "import json, sys\nprint({'success': True})\n",
    ],
    ids=["unparsable", "no-json", "unknown-helper", "not-an-object", "repr-not-json"],
)
def test_no_schema_when_no_plain_object_is_written(source: str) -> None:
    assert outputs(source) == {}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_corpus_and_example_script_gives_json_output_schemas(path: Path) -> None:
    found = infer_output_schemas(path.read_text(encoding="utf-8"))
    assert set(found) <= {"output", "error"}
    json.dumps(found, allow_nan=False)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_sources_never_raise(source: str) -> None:
    json.dumps(infer_output_schemas(source), allow_nan=False)
