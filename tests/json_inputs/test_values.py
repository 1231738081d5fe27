"""The values offered where a value of an inputs file is typed (`json_inputs.values`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scriptcontract.json_inputs.outline import read
from scriptcontract.json_inputs.places import FileKind
from scriptcontract.json_inputs.script_schema import script_schema
from scriptcontract.json_inputs.values import complete_value

SOURCE = """
import json
import sys

inputs = json.load(sys.stdin)
mode = inputs.get("mode", "fast")
if mode not in ("fast", "slow"):
    raise SystemExit(1)
"""


def at_bar(marked: str, schema: dict[str, Any] | None = None, kind: FileKind = "sidecar") -> Any:
    """The completion where `|` is in `marked` (the bar taken out): (what it replaces, the
    texts offered), or None where no value is typed."""
    offset = marked.index("|")
    text = marked.replace("|", "", 1)
    found = script_schema(Path("s.py"), SOURCE, json.dumps(schema) if schema is not None else None)
    completion = complete_value(kind, read(text), found, offset)
    if completion is None:
        return None
    return text[completion.start : completion.end], [c.text for c in completion.choices]


def test_only_where_a_value_is_typed() -> None:
    assert at_bar('{"mode": |}') == ("", ['"fast"', '"slow"'])
    assert at_bar('{|"mode": 1}') is None  # a key
    assert at_bar('{"mode": 1, |}') is None
    assert at_bar('{"mode": "fast"|}') is None  # after a complete value
    assert at_bar("|") is None
    # Between a colon and the next member's key, the key is not what a choice replaces.
    assert at_bar('{"mode": |"other": 1}') == ("", ['"fast"', '"slow"'])
    # Outside a case's inputs, nothing; inside, the script's values.
    assert at_bar('{"cases": [{"name": |}]}', kind="cases") is None
    assert at_bar('{"cases": [{"inputs": {"mode": "s|"}}]}', kind="cases") == (
        '"s"',
        ['"fast"', '"slow"'],
    )


def test_a_value_typed_above_the_next_member_comes_with_the_comma_it_needs() -> None:
    declared = {"type": "object", "properties": {"mode": {}, "tags": {"items": {"enum": [1]}}}}

    def after(marked: str) -> str:
        offset = marked.index("|")
        text = marked.replace("|", "", 1)
        found = script_schema(Path("s.py"), SOURCE, json.dumps(declared))
        completion = complete_value("sidecar", read(text), found, offset)
        assert completion is not None
        return completion.after

    assert after('{\n  "mode": |\n  "other": 1\n}') == ","
    assert after('{\n  "mode": "f|\n  "other": 1\n}') == ","
    assert after('{\n  "mode": |,\n  "other": 1\n}') == ""
    assert after('{\n  "mode": |\n}') == ""
    assert after('{"tags": [|\n 1]}') == ","
    assert after('{"tags": [|]}') == ""


def test_alternatives_and_references_of_a_declared_schema_are_followed() -> None:
    schema = {
        "type": "object",
        "$defs": {"Level": {"enum": ["low", "high"]}},
        "properties": {
            "level": {"anyOf": [{"$ref": "#/$defs/Level"}, {"type": "null"}], "default": None},
            "flags": {"type": "array", "items": {"type": "boolean"}},
            "count": {"type": "integer"},
            "size": {"anyOf": [{"enum": ["s", "m"]}, {"type": "null"}], "default": "m"},
            "kind": {"type": ["string", "null"], "enum": ["a", "b"]},
        },
    }
    assert at_bar('{"level": |}', schema) == ("", ["null", '"low"', '"high"'])
    assert at_bar('{"flags": [true, |]}', schema) == ("", ["true", "false"])
    assert at_bar('{"count": 1|}', schema) == ("1", [])  # a number: nothing to guess
    # null is allowed by the alternative that lists no values, not where an enum says no.
    assert at_bar('{"size": |}', schema) == ("", ['"m"', '"s"', "null"])
    assert at_bar('{"kind": |}', schema) == ("", ['"a"', '"b"'])
