"""Smaller inputs than a failing one, still within its schema, most promising first.

`weight` orders JSON values by how much there is to read in them; every candidate weighs
strictly less than the value it comes from, so shrinking always ends. Candidates keep the
keys the schema requires (an input without them fails at its first read, which says
nothing new) and the values its `enum`s allow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from scriptcontract.explore.generate import (
    InputsGenerator,
    Schema,
    branches,
    json_kind,
    properties_of,
    required_keys,
    resolve,
    types_of,
)

_MAX_DEPTH = 8


def weight(value: Any) -> int:
    """How much there is in `value`: 0 for null, more for longer, larger, deeper values."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 1 + int(value)
    if isinstance(value, int):
        return 2 + abs(value).bit_length() + (value < 0)
    if isinstance(value, float):
        whole = value.is_integer() if value == value and abs(value) != float("inf") else False
        magnitude = int(abs(value)).bit_length() if whole or abs(value) < 1e300 else 1024
        return 3 + (0 if whole else 2) + magnitude + (value < 0)
    if isinstance(value, str):
        return 2 + len(value) + sum(1 for char in value if not char.isascii() or char < " ")
    if isinstance(value, list):
        return 2 + len(value) + sum(weight(item) for item in value)
    if isinstance(value, dict):
        return 2 + sum(1 + len(key) + weight(item) for key, item in value.items())
    return 0


def magnitude(value: Any) -> float:
    """The sum of the sizes of the numbers in `value`: what tells apart two values of one
    weight (`1023` after `1024`, which has as many bits)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return 0.0
    if isinstance(value, (int, float)):
        return float(min(abs(value), 1e308))
    if isinstance(value, list):
        return sum(magnitude(item) for item in value)
    if isinstance(value, dict):
        return sum(magnitude(item) for item in value.values())
    return 0.0


def measure(value: Any) -> tuple[int, float]:
    """The order shrinking goes down: lighter first, then smaller numbers."""
    return weight(value), magnitude(value)


def smaller_inputs(
    inputs: dict[str, Any], schema: Schema, generator: InputsGenerator
) -> list[dict[str, Any]]:
    """One-step simplifications of `inputs`, each lighter, no two alike, best first."""
    limit = measure(inputs)
    found: list[dict[str, Any]] = []
    seen = {_key(inputs)}
    for candidate in _candidates(inputs, resolve(schema, generator.root), generator, 0):
        key = _key(candidate)
        if isinstance(candidate, dict) and key not in seen and measure(candidate) < limit:
            seen.add(key)
            found.append(candidate)
    return found


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _candidates(
    value: Any, schema: Schema, generator: InputsGenerator, depth: int
) -> Iterator[Any]:
    schema = resolve(schema, generator.root)
    options = branches(schema)
    if options is not None:
        for option in options:
            yield generator.simplest(option)
        # Then within the branch the value is of (the first that allows its type).
        kind = json_kind(value)
        fitting = [resolve(o, generator.root) for o in options]
        schema = next((o for o in fitting if kind in types_of(o)), {"type": kind})
    if "const" in schema:
        return
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        yield from sorted((item for item in enum if item != value), key=weight)
        return
    kinds = types_of(schema)
    # The simplest value of each type the schema allows, then lighter ones of its own type.
    for kind in kinds:
        yield generator.simplest({**schema, "type": kind})
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield from _smaller_objects(value, schema, generator, depth)
    elif isinstance(value, list):
        yield from _smaller_arrays(value, schema, generator, depth)
    elif isinstance(value, str):
        yield from _smaller_strings(value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, (int, float)):
        yield from _smaller_numbers(value)


def _smaller_objects(
    value: dict[str, Any], schema: Schema, generator: InputsGenerator, depth: int
) -> Iterator[dict[str, Any]]:
    required = set(required_keys(schema))
    for key in value:
        if key not in required:
            yield {k: v for k, v in value.items() if k != key}
    properties = properties_of(schema)
    for key, item in value.items():
        for smaller in _candidates(item, properties.get(key, {}), generator, depth + 1):
            yield {**value, key: smaller}


def _smaller_arrays(
    value: list[Any], schema: Schema, generator: InputsGenerator, depth: int
) -> Iterator[list[Any]]:
    least = schema.get("minItems", 0)
    least = least if isinstance(least, int) else 0
    if len(value) > least:
        for cut in _steps(len(value) - least):
            yield value[: len(value) - cut]
        for index in range(min(len(value), 8)):
            yield value[:index] + value[index + 1 :]
    item_schema = schema.get("items", {})
    for index, item in enumerate(value[:8]):
        for smaller in _candidates(item, item_schema, generator, depth + 1):
            yield [*value[:index], smaller, *value[index + 1 :]]


def _steps(length: int) -> Iterator[int]:
    """How much to take off a length or a number, largest first: half, a quarter, ... 1
    (run at once, the first that still fails is as far as a binary search would go)."""
    step = length // 2
    while step > 1:
        yield step
        step //= 2
    if length > 0:
        yield 1


def _smaller_strings(value: str) -> Iterator[str]:
    for cut in _steps(len(value)):
        yield value[: len(value) - cut]
    if len(value) > 1:
        yield value[1:]
    plain = "".join(char if char.isascii() and char >= " " else "a" for char in value)
    if plain != value:
        yield plain


def _smaller_numbers(value: int | float) -> Iterator[int | float]:
    if isinstance(value, float):
        if not value.is_integer() and abs(value) < 1e300:
            yield int(value)
        if abs(value) >= 1:
            yield value / 2  # below 1, halving makes no simpler number, only a smaller one
    else:
        sign = 1 if value > 0 else -1
        for cut in _steps(abs(value)):
            yield value - sign * cut
    if value < 0:
        yield -value
