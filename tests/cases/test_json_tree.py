"""The cases file's JSON reader: values as `json.loads` gives them, spans that point at them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.cases.json_tree import MAX_DEPTH, JsonSyntaxError, LineIndex, Node, parse

# Lone surrogates are not text a file can hold.
TEXT = st.characters(exclude_categories=["Cs"])
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(TEXT),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(TEXT, max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def every_node(node: Node) -> list[Node]:
    found = [node]
    for child in [m.value for m in node.members] + node.items:
        found += every_node(child)
    return found


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES, indent=st.sampled_from([None, 2, 4, "\t"]), ascii_only=st.booleans())
def test_values_read_as_json_loads_reads_them_and_spans_hold_them(
    value: Any, indent: int | str | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    tree = parse(text)
    assert tree.value == json.loads(text)
    for node in every_node(tree):
        assert json.loads(text[node.start : node.end]) == node.value
    for node in every_node(tree):
        for member in node.members:
            assert json.loads(text[member.key_start : member.key_end]) == member.key


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ('{"a": 1,}', "expected a key in double quotes", 8),
        ('{"a": 1 "b": 2}', "expected ',' or '}'", 8),
        ('{"a": 1, "a": 2}', 'duplicate key "a"', 9),
        ("[1, 2", "expected ',' or ']'", 5),
        ('{"a": tru}', "expected a value", 6),
        ('{"a": "x\ny"}', "a control character in a string", 8),
        ('{"a": "\\ud800"}', "a lone surrogate", 6),
        ('{"a": NaN}', "expected a value", 6),
        ("{} {}", "more text after the JSON document", 3),
        ("", "expected a value, found the end of the file", 0),
        ('"unterminated', "a string that never ends", 0),
    ],
    ids=lambda item: item if isinstance(item, str) and len(item) < 20 else None,
)
def test_mistakes_are_named_where_they_are(text: str, message: str, offset: int) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        parse(text)
    assert caught.value.message.startswith(message)
    assert caught.value.offset == offset


def test_nesting_is_bounded() -> None:
    with pytest.raises(JsonSyntaxError, match="nested more than"):
        parse("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2))
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH).kind == "array"


def test_a_byte_order_mark_is_skipped() -> None:
    assert parse('\ufeff{"cases": []}').value == {"cases": []}


def test_positions_count_code_points_and_every_line_break() -> None:
    text = 'é\r\n{\r"a":\n1}'
    lines = LineIndex(text)
    assert lines.position(text.index("{")) == (1, 0)
    assert lines.position(text.index('"a"')) == (2, 0)
    assert lines.position(text.index("1")) == (3, 0)
    assert lines.position(1) == (0, 1)
