"""Inputs made from a schema, and the smaller inputs a failing one is shrunk through."""

from __future__ import annotations

import itertools
from typing import Any

from scriptcontract.explore.generate import InputsGenerator, compared_literals, inputs_sequence
from scriptcontract.explore.shrink import measure, smaller_inputs

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "mode": {"enum": ["fast", "slow"]},
        "count": {"type": "integer", "minimum": 1},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}},
                "required": ["id"],
            },
        },
        "anything": {},
    },
    "required": ["name", "rows"],
}


def first(count: int, seed: int, schema: dict[str, Any] = SCHEMA) -> list[dict[str, Any]]:
    return list(itertools.islice(inputs_sequence(schema, seed), count))


def test_one_seed_gives_one_sequence_and_another_seed_another() -> None:
    assert first(100, seed=4) == first(100, seed=4)
    assert first(100, seed=4) != first(100, seed=5)


def test_the_first_inputs_are_the_simplest_with_and_without_the_optional_keys() -> None:
    simplest, every_key = first(2, seed=0)
    assert simplest == {"name": "", "rows": []}
    assert every_key == {
        "name": "",
        "rows": [],
        "mode": "fast",
        "count": 1,
        "anything": None,
    }


def test_every_input_keeps_the_schema_required_keys_enums_and_bounds() -> None:
    for inputs in first(300, seed=1):
        assert {"name", "rows"} <= set(inputs)
        assert isinstance(inputs["name"], str)
        assert inputs.get("mode", "fast") in ("fast", "slow")
        assert inputs.get("count", 1) >= 1 and isinstance(inputs.get("count", 1), int)
        assert all(isinstance(row["id"], str) for row in inputs["rows"])


def test_edge_values_and_missing_optional_keys_come_up() -> None:
    seen = first(300, seed=2)
    names = {inputs["name"] for inputs in seen}
    assert "" in names
    assert any(len(name) >= 1000 for name in names)
    assert any(any(not char.isascii() for char in name) for name in names)
    assert any("count" not in inputs for inputs in seen)
    assert any(inputs.get("count", 0) > 2**31 for inputs in seen)
    assert any(inputs["rows"] == [] for inputs in seen)
    assert any(len(inputs["rows"]) >= 50 for inputs in seen)
    anything = [inputs["anything"] for inputs in seen if "anything" in inputs]
    assert None in anything and {type(value) for value in anything} >= {str, int, list, dict}


def test_the_script_literals_are_tried() -> None:
    source = 'if inputs["mode"] == "strict" or inputs["n"] > 100:\n    pass\n'
    literals = compared_literals(source)
    assert literals == (("strict",), (100,))
    schema = {
        "type": "object",
        "properties": {"mode": {"type": "string"}, "n": {"type": "integer"}},
    }
    generator = InputsGenerator(schema, 3, literals)
    seen = [generator.inputs(index) for index in range(200)]
    assert any(inputs.get("mode") == "strict" for inputs in seen)
    assert any(inputs.get("n") == 101 for inputs in seen)


def test_smaller_inputs_are_lighter_keep_required_keys_and_stay_in_the_enum() -> None:
    generator = InputsGenerator(SCHEMA, 0)
    big = {
        "name": "é" * 40,
        "rows": [{"id": "x" * 9}, {"id": "y"}],
        "mode": "slow",
        "count": 1024,
        "anything": [1, 2, 3],
    }
    smaller = smaller_inputs(big, SCHEMA, generator)
    assert smaller
    for inputs in smaller:
        assert measure(inputs) < measure(big)
        assert {"name", "rows"} <= set(inputs)
        assert inputs.get("mode", "fast") in ("fast", "slow")
        assert all("id" in row for row in inputs["rows"])
    assert {k: v for k, v in big.items() if k != "count"} in smaller  # an optional key dropped
    assert {**big, "count": 1023} in smaller  # one less, when nothing bigger goes
    assert {**big, "rows": [{"id": "x" * 9}]} in smaller


def test_the_simplest_input_has_nothing_smaller() -> None:
    generator = InputsGenerator(SCHEMA, 0)
    assert smaller_inputs({"name": "", "rows": []}, SCHEMA, generator) == []
