"""Inputs made from a JSON Schema: the simplest first, then edge values, then random ones.

Everything comes from one `random.Random`, so a seed gives the same inputs in the same
order. The schema keywords read are those the inference and the declared models write
(`type`, `properties`, `required`, `items`, `enum`, `const`, `default`, `anyOf`/`oneOf`,
local `$ref`s), and the usual bounds (`minimum`, `maxLength`, `minItems`...); a value the
schema says nothing of is any JSON value, null included.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

Schema = dict[str, Any]
Literals = tuple[tuple[str, ...], tuple[int | float, ...]]
JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
_MAX_DEPTH = 6
HUGE_TEXT_CHARS = 1000
HUGE_ARRAY_ITEMS = 50
# The characters, items and keys of one generated input, all together. The schema may be a
# declared one a run planted beside its script: `minLength` of 10**11 took the memory of the
# command (or of the language server), `minItems` of 10**9 its time, nested arrays both.
MAX_INPUT_SIZE = 1_000_000


class InputsTooLarge(Exception):
    """The schema asks for an input larger than `MAX_INPUT_SIZE`; `str()` says so."""


# Values that break code written for the usual ones: nothing, zero, a sign, a size far from
# the usual, text that is not ASCII or that looks like another type.
EDGE_STRINGS = ("", " ", "0", "-1", "null", "é✓ 漢字 😀", "a" * HUGE_TEXT_CHARS, "\n\t")
EDGE_INTEGERS = (0, -1, 1, 2**31, -(2**31), 2**63, 10**20)
EDGE_NUMBERS = (0, 0.5, -1.5, 1e308, -1e-308, 0.1)
_LETTERS = "abcdefghijklmnopqrstuvwxyzABC0123456789 _-é"
_FORMATS = {
    "date": "2024-02-29",
    "date-time": "2024-02-29T23:59:59+00:00",
    "time": "23:59:59",
    "email": "a@example.com",
    "uri": "https://example.com/a",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def resolve(schema: Any, root: Schema) -> Schema:
    """`schema` with a local `$ref` (`#/$defs/x`) followed; anything else unusable is `{}`."""
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 20:
        reference: str = schema["$ref"]
        target: Any = root
        if not reference.startswith("#"):
            return {}
        for part in [p for p in reference[1:].split("/") if p]:
            target = target.get(part) if isinstance(target, dict) else None
        schema, seen = target, seen + 1
    return schema if isinstance(schema, dict) else {}


def types_of(schema: Schema) -> list[str]:
    """The JSON types a value of `schema` may have (all of them when it does not say)."""
    if "const" in schema:
        return [json_kind(schema["const"])]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return list(dict.fromkeys(json_kind(value) for value in schema["enum"]))
    declared = schema.get("type")
    if isinstance(declared, str):
        named = [declared]
    elif isinstance(declared, list):
        named = [kind for kind in declared if isinstance(kind, str)]
    else:
        named = []
    known = [kind for kind in named if kind in JSON_TYPES]
    if known:
        return known
    if "properties" in schema:
        return ["object"]
    if "items" in schema:
        return ["array"]
    return list(JSON_TYPES)


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def branches(schema: Schema) -> list[Any] | None:
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options:
            return options
    return None


def required_keys(schema: Schema) -> list[str]:
    required = schema.get("required")
    return [key for key in required if isinstance(key, str)] if isinstance(required, list) else []


def properties_of(schema: Schema) -> dict[str, Any]:
    properties = schema.get("properties")
    return properties if isinstance(properties, dict) else {}


def _bound(schema: Schema, name: str, default: int) -> int:
    value = schema.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


class InputsGenerator:
    """Inputs of one schema: `inputs(index)` is the index-th of a seeded sequence."""

    def __init__(self, schema: Schema, seed: int, literals: Literals = ((), ())) -> None:
        self.root = schema
        self.rng = random.Random(seed)
        # The script's own literals (`mode == "strict"`, `count > 100`): values a schema
        # cannot say matter and that random text or numbers would never hit.
        self.texts, self.numbers = literals
        self._left = MAX_INPUT_SIZE

    def _charge(self, size: int) -> None:
        """Counts `size` against the input's budget before it is made (InputsTooLarge)."""
        self._left -= max(0, size)
        if self._left < 0:
            raise InputsTooLarge(
                f"the schema asks for inputs larger than explore makes ({MAX_INPUT_SIZE:,} "
                "characters, items and keys in all): check its minLength and minItems"
            )

    def inputs(self, index: int) -> dict[str, Any]:
        """0: the required keys with their simplest values; 1: every key so; 2..: edge and
        random values, optional keys left out half the time, growing with `index`.
        InputsTooLarge when the schema asks for more than `MAX_INPUT_SIZE`."""
        self._left = MAX_INPUT_SIZE
        schema = resolve(self.root, self.root)
        if index == 0:
            value = self.simplest(schema, with_optional=False)
        elif index == 1:
            value = self.simplest(schema, with_optional=True)
        else:
            value = self.value(schema, size=min(1.0, index / 50), depth=0)
        return value if isinstance(value, dict) else {}

    # --- the simplest value ---------------------------------------------------------

    def simplest(self, schema: Schema, *, with_optional: bool = False, depth: int = 0) -> Any:
        schema = resolve(schema, self.root)
        options = branches(schema)
        if options is not None:
            return self.simplest(resolve(options[0], self.root), depth=depth)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        kind = types_of(schema)[0]
        return self._simplest_of(schema, kind, with_optional=with_optional, depth=depth)

    def _simplest_of(self, schema: Schema, kind: str, *, with_optional: bool, depth: int) -> Any:
        if kind == "object":
            properties = properties_of(schema)
            wanted = required_keys(schema) + (list(properties) if with_optional else [])
            if depth >= _MAX_DEPTH:
                return {}
            self._charge(len(wanted))
            return {
                key: self.simplest(properties.get(key, {}), depth=depth + 1)
                for key in dict.fromkeys(wanted)
            }
        if kind == "array":
            count = min(_bound(schema, "minItems", 0), 10)
            self._charge(count)
            item = schema.get("items", {})
            return [self.simplest(item, depth=depth + 1) for _ in range(count)]
        if kind == "string":
            if isinstance(schema.get("format"), str) and schema["format"] in _FORMATS:
                return _FORMATS[schema["format"]]
            length = _bound(schema, "minLength", 0)
            self._charge(length)
            return "a" * length
        if kind in ("integer", "number"):
            return _clamped(0, schema, kind)
        if kind == "boolean":
            return False
        return None

    # --- any value --------------------------------------------------------------------

    def value(self, schema: Schema, *, size: float, depth: int) -> Any:
        rng = self.rng
        schema = resolve(schema, self.root)
        options = branches(schema)
        if options is not None:
            return self.value(resolve(rng.choice(options), self.root), size=size, depth=depth)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return rng.choice(schema["enum"])
        if "default" in schema and rng.random() < 0.1:
            return schema["default"]
        kinds = types_of(schema)
        if depth >= _MAX_DEPTH:
            kinds = [kind for kind in kinds if kind not in ("object", "array")] or kinds
        kind = rng.choice(kinds)
        if depth >= _MAX_DEPTH and kind in ("object", "array"):
            # A schema that requires itself (`"a": {"$ref": "#"}`) has no end: stop empty
            # (such an input breaks the schema and is not run; the report says so).
            return {} if kind == "object" else []
        edge = rng.random() < 0.35
        if kind == "object":
            return self._object(schema, size=size, depth=depth)
        if kind == "array":
            return self._array(schema, size=size, depth=depth, edge=edge)
        if kind == "string":
            return self._string(schema, edge=edge)
        if kind in ("integer", "number"):
            return self._number(schema, kind, size=size, edge=edge)
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    def _object(self, schema: Schema, *, size: float, depth: int) -> dict[str, Any]:
        properties = properties_of(schema)
        required = set(required_keys(schema))
        built: dict[str, Any] = {}
        for key in dict.fromkeys([*properties, *required]):
            if key in required or self.rng.random() < 0.5:
                self._charge(1)
                built[key] = self.value(properties.get(key, {}), size=size, depth=depth + 1)
        return built

    def _array(self, schema: Schema, *, size: float, depth: int, edge: bool) -> list[Any]:
        rng = self.rng
        least = _bound(schema, "minItems", 0)
        most = _bound(schema, "maxItems", HUGE_ARRAY_ITEMS)
        if edge:
            count = rng.choice([least, least, min(most, HUGE_ARRAY_ITEMS)])
        else:
            count = rng.randint(least, max(least, min(most, 1 + int(4 * size))))
        item = schema.get("items", {})
        self._charge(count)
        if edge and count > 5:
            before = self._left
            one = self.value(item, size=size, depth=depth + 1)
            # Cheap to make, not to send: each copy is written out in full.
            self._charge((before - self._left) * (count - 1))
            return [one] * count
        return [self.value(item, size=size, depth=depth + 1) for _ in range(count)]

    def _string(self, schema: Schema, *, edge: bool) -> str:
        rng = self.rng
        wanted_format = schema.get("format")
        if isinstance(wanted_format, str) and wanted_format in _FORMATS and rng.random() < 0.8:
            return _FORMATS[wanted_format]
        if self.texts and rng.random() < 0.25:
            text = rng.choice(self.texts)
        elif edge:
            text = rng.choice(EDGE_STRINGS)
        else:
            text = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 8)))
        missing = _bound(schema, "minLength", 0) - len(text)
        self._charge(len(text) + missing)
        text += "a" * missing
        return text[: _bound(schema, "maxLength", len(text))]

    def _number(self, schema: Schema, kind: str, *, size: float, edge: bool) -> int | float:
        rng = self.rng
        if self.numbers and rng.random() < 0.25:
            # On either side of a bound the script compares with: where off-by-ones are.
            value: int | float = rng.choice(self.numbers) + rng.choice((-1, 0, 1))
        elif edge:
            value = rng.choice(EDGE_INTEGERS if kind == "integer" else EDGE_NUMBERS)
        elif kind == "integer":
            span = 10 + int(990 * size)
            value = rng.randint(-span, span)
        else:
            value = round(rng.uniform(-100 - 900 * size, 100 + 900 * size), 2)
        return _clamped(value, schema, kind)


def _clamped(value: int | float, schema: Schema, kind: str) -> int | float:
    for name, pick in (("minimum", max), ("maximum", min)):
        bound = schema.get(name)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            value = pick(value, bound)
    for name, step in (("exclusiveMinimum", 1), ("exclusiveMaximum", -1)):
        bound = schema.get(name)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            beyond = value <= bound if step > 0 else value >= bound
            if beyond:
                value = bound + step if kind == "integer" else bound + step * 0.5
    return int(value) if kind == "integer" and float(value).is_integer() else value


def inputs_sequence(
    schema: Schema, seed: int, literals: Literals = ((), ())
) -> Iterator[dict[str, Any]]:
    """Endless inputs of `schema` for `seed` (the same sequence every time)."""
    generator = InputsGenerator(schema, seed, literals)
    index = 0
    while True:
        yield generator.inputs(index)
        index += 1


def compared_literals(source: str) -> Literals:
    """The strings and numbers `source` compares values with (`==`, `<`, `in (...)`), in
    the order they appear; none when it does not parse."""
    import ast
    import math

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return (), ()
    texts: dict[str, None] = {}
    numbers: dict[int | float, None] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for side in (node.left, *node.comparators):
            elements = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
            for element in elements:
                if not isinstance(element, ast.Constant) or isinstance(element.value, bool):
                    continue
                if isinstance(element.value, str) and len(element.value) <= HUGE_TEXT_CHARS:
                    texts[element.value] = None
                elif isinstance(element.value, (int, float)) and math.isfinite(element.value):
                    numbers[element.value] = None
    return tuple(texts), tuple(numbers)
