"""The model a script reads its inputs into, read statically as its declared schema."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from scriptcontract.contract.declared_model import declared_model_schema

HEADER = "import json, sys\nfrom typing import *\n"


def model(body: str) -> tuple[str, dict[str, Any]] | None:
    return declared_model_schema(HEADER + textwrap.dedent(body))


def test_a_typed_dict_annotating_the_inputs_parameter() -> None:
    found = model(
        """
        class Item(TypedDict):
            id: int
            note: NotRequired[str]

        class Inputs(TypedDict, total=False):
            name: Required[str]
            mode: Literal["fast", "slow"]
            items: list[Item]
            limit: int | None

        def main(inputs: Inputs):
            return {"success": True}

        print(json.dumps(main(json.load(sys.stdin))))
        """
    )
    assert found is not None
    name, schema = found
    assert name == "Inputs" and schema["title"] == "Inputs"
    assert schema["required"] == ["name"]
    assert schema["properties"] == {
        "name": {"type": "string"},
        "mode": {"enum": ["fast", "slow"]},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
                "required": ["id"],
            },
        },
        "limit": {"type": ["integer", "null"]},
    }


PARAMS = """
from pydantic import BaseModel

class Params(BaseModel):
    url: str
    retries: int = 3
    tags: Optional[list[str]] = None
    extra: set = {1}

"""


@pytest.mark.parametrize(
    "reads",
    [
        "params = Params.model_validate(json.load(sys.stdin))",
        "params = Params.parse_obj(json.load(sys.stdin))",
        "inputs = json.load(sys.stdin)\nparams = Params(**inputs)",
        "params = TypeAdapter(Params).validate_python(json.load(sys.stdin))",
        "params = cast(Params, json.load(sys.stdin))",
        "inputs: Params = json.load(sys.stdin)",
        # The model parses the JSON text itself.
        "params = Params.model_validate_json(sys.stdin.read())",
        "raw = sys.stdin.read()\nparams = Params.parse_raw(raw)",
        "params = TypeAdapter(Params).validate_json(sys.stdin.buffer.read())",
    ],
    ids=[
        "model_validate", "parse_obj", "call", "type-adapter", "cast", "annotated",
        "model_validate_json", "parse_raw", "type-adapter-json",
    ],
)  # fmt: skip
def test_the_ways_inputs_are_read_into_a_model(reads: str) -> None:
    found = declared_model_schema(HEADER + PARAMS + reads + "\n")
    assert found is not None
    schema = found[1]
    assert schema["required"] == ["url"]
    assert schema["properties"]["retries"] == {"type": "integer", "default": 3}
    assert schema["properties"]["tags"] == {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
        "default": None,
    }
    json.dumps(schema, allow_nan=False)


def test_a_dataclass_built_from_the_inputs() -> None:
    found = model(
        """
        from dataclasses import dataclass

        @dataclass
        class Job:
            rate: float
            owner: Any = None

        job = Job(**json.load(sys.stdin))
        """
    )
    assert found == (
        "Job",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Job",
            "type": "object",
            "properties": {"rate": {"type": "number"}, "owner": {"default": None}},
            "required": ["rate"],
        },
    )


@pytest.mark.parametrize(
    "body",
    [
        "class X(TypedDict):\n    a: int\n",  # a model nothing reads the inputs into
        "class X(TypedDict):\n    a: int\nx = X(a=1)\ninputs = json.load(sys.stdin)\n",
        "inputs = json.load(sys.stdin)\nmain(inputs)\n",  # no model at all
        "class Plain:\n    a: int\nPlain(**json.load(sys.stdin))\n",  # not a model class
        # The text parsed is not stdin's.
        "class X(BaseModel):\n    a: int\nX.model_validate_json(open('x.json').read())\n",
        "def (:\n",
    ],
    ids=["unused", "built-otherwise", "no-model", "plain-class", "other-text", "unparsable"],
)
def test_no_declared_model(body: str) -> None:
    assert model(body) is None


def test_paths_dates_and_uuids_are_text_in_json() -> None:
    found = model(
        """
        from pathlib import Path
        from datetime import datetime
        from uuid import UUID

        class Hook(BaseModel):
            transcript_path: Path
            at: datetime
            id: UUID

        hook = Hook.model_validate_json(sys.stdin.read())
        """
    )
    assert found is not None
    assert found[1]["properties"] == {
        "transcript_path": {"type": "string"},
        "at": {"type": "string"},
        "id": {"type": "string"},
    }


def test_a_recursive_model_ends() -> None:
    found = model(
        """
        class Node(TypedDict):
            children: list["Node"]

        node: Node = json.load(sys.stdin)
        """
    )
    assert found is not None
    json.dumps(found[1])
