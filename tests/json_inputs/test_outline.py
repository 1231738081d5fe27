"""The tolerant reader of inputs files: exactly `json.loads` on JSON, and on text that is
not JSON (half typed), a problem where reading stopped and every member it could read."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.json_inputs.outline import read

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 2]), st.booleans())
def test_json_reads_as_json_loads_reads_it(value: Any, indent: int | None, ascii: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii)
    outline = read(text)
    assert outline.problems == []
    assert outline.root is not None and outline.root.data == value


@settings(max_examples=1500, deadline=None)
@given(
    JSON_VALUES,
    st.integers(0, 10_000),
    st.integers(0, 5),
    st.text(alphabet='{}[]:,"\\ a1\n', max_size=3),
)
def test_an_edit_has_problems_exactly_when_json_loads_refuses_it(
    value: Any, at: int, cut: int, typed: str
) -> None:
    text = json.dumps(value)
    at %= len(text) + 1
    text = text[:at] + typed + text[at + cut :]
    outline = read(text)
    try:
        expected = json.loads(text)
    except ValueError:
        assert outline.problems, text
    else:
        assert outline.problems == [], text
        assert outline.root is not None and outline.root.data == expected


def test_half_typed_objects_keep_the_members_read_so_far() -> None:
    cases = {
        '{"a": 1, "': ({"a": 1}, "a string that never ends"),
        '{"a": 1, "b"': ({"a": 1}, "expected ':' after the key"),
        '{"a": 1 "b": 2}': ({"a": 1, "b": 2}, "expected ',' between two members"),
        '{"a": tru, "b": 2}': ({"b": 2}, "expected a value"),
        '{"a": {"b": 1,}}': ({"a": {"b": 1}}, "a comma before '}'"),
        "[1 2": ([1, 2], "expected ',' or ']'"),
    }
    for text, (data, first) in cases.items():
        outline = read(text)
        assert outline.root is not None and outline.root.data == data, text
        assert outline.problems[0].message.startswith(first), (text, outline.problems)


def test_keys_and_values_keep_their_offsets() -> None:
    text = '{"name": "Ada", "tags": ["x", {"id": 1}]}'
    root = read(text).root
    assert root is not None
    member = root.member("name")
    assert member is not None and text[member.key_start : member.key_end] == '"name"'
    item = root.find(("tags", 1, "id"))
    assert item is not None and text[item.start : item.end] == "1"
    unclosed = read('{"a": [1, ').root
    assert unclosed is not None and not unclosed.closed and unclosed.end == len('{"a": [1, ')


def test_nothing_and_garbage_are_problems_not_exceptions() -> None:
    for text in ("", "   ", "}", "]]]", "\ufeff", '"', "\\", "{" * 1000, "[" * 1000 + "]" * 999):
        outline = read(text)
        assert outline.problems, text


PIECES = [
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    '"',
    '"name"',
    '"times"',
    '"mode"',
    '"a',
    "1",
    "true",
    "nul",
    " ",
    "\n",
    "\\",
    "é",
    "\ud800",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 200))
def test_any_text_and_offset_give_answers_not_exceptions(pieces: list[str], offset: int) -> None:
    from pathlib import Path

    from scriptcontract.json_inputs.keys import complete_key, describe_key, key_at
    from scriptcontract.json_inputs.problems import file_problems
    from scriptcontract.json_inputs.script_schema import script_schema
    from scriptcontract.json_inputs.values import complete_value

    schema = script_schema(
        Path("greet.py"),
        'import json, sys\ninputs = json.load(sys.stdin)\nx = inputs["name"].lower()\n'
        'n = int(inputs.get("times", 1))\nfor item in inputs["items"]:\n    item["id"]\n'
        'if inputs.get("mode", "a") in ("a", "b"):\n    pass\n',
        None,
    )
    text = "".join(pieces)
    outline = read(text)
    for kind in ("sidecar", "cases"):
        file_problems(kind, outline, schema)
        complete_key(kind, outline, schema, offset % (len(text) + 1))
        values = complete_value(kind, outline, schema, offset % (len(text) + 1))
        if values is not None:
            assert 0 <= values.start <= values.end <= len(text)
        key = key_at(kind, outline, offset % (len(text) + 1))
        if key is not None:
            describe_key(schema, key.path)
