"""Inputs checked against a script's declared schema before anything is started.

Every problem is listed in one message, by key, with what the schema expects and what the
inputs hold, so that a caller fixes them all at once. Only a declared schema refuses: an
inferred one is a guess from the code, and guesses never stop a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scriptcontract.schema_files import SchemaFileError, read_declared_schema, schema_path
from scriptcontract.shown_values import clipped

_JSON_TYPES = [
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
]
_SHOWN_CHARS = 40


def declared_schema(script: Path) -> dict[str, Any] | None:
    """The declared schema of `script`, None without one; SchemaFileError when unusable."""
    found = read_declared_schema(script)
    if found is None:
        return None
    return checked_schema(found[0], schema_path(script))


def checked_schema(schema: dict[str, Any], path: Path) -> dict[str, Any]:
    """`schema` (read from `path`) when it is a valid JSON Schema, else SchemaFileError."""
    from jsonschema import exceptions, validators

    try:
        validators.validator_for(schema).check_schema(schema)
    except exceptions.SchemaError as exc:
        raise SchemaFileError(f"{path} is not a valid JSON Schema: {exc.message}") from None
    return schema


@dataclass(frozen=True)
class InputProblem:
    """One way the inputs break a schema: where (keys and indexes), what kind of problem
    (`missing`, `type`, `unexpected` or the JSON Schema keyword), and what is expected."""

    path: tuple[str | int, ...]
    kind: str
    problem: str

    @property
    def where(self) -> str:
        return _key_path(self.path)


def located_problems(schema: dict[str, Any], inputs: Any) -> list[InputProblem]:
    """Every way `inputs` breaks `schema`, each once, in key order."""
    from jsonschema import validators

    from scriptcontract.text_patterns import PatternTooSlow, bound_jsonschema

    bound_jsonschema()  # a schema beside its script may have been planted by a run
    validator = validators.validator_for(schema)(schema)
    problems: list[InputProblem] = []
    try:
        for error in validator.iter_errors(inputs):
            for problem in _described(error):
                if problem not in problems:
                    problems.append(problem)
    except PatternTooSlow as exc:
        problems.append(InputProblem((), "pattern", str(exc)))
    problems.sort(key=lambda item: item.where)
    return problems


def input_problems(schema: dict[str, Any], inputs: Any) -> list[str]:
    """`key: expected X, got Y` for every way `inputs` breaks `schema`, in key order."""
    return [f"{item.where}: {item.problem}" for item in located_problems(schema, inputs)]


def refusal(schema_file: Path, problems: Iterable[str], what: str = "the inputs") -> str:
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"{what} do not match the declared schema {schema_file}; nothing was run "
        f"(--no-schema-check runs anyway):\n{listed}"
    )


def _described(error: Any) -> list[InputProblem]:
    where = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required" and isinstance(error.instance, dict):
        return [
            InputProblem((*where, name), "missing", "expected a value (required), got nothing")
            for name in error.validator_value
            if name not in error.instance
        ]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        return [
            InputProblem((*where, name), "unexpected", "not allowed by the schema")
            for name in _extra_keys(error.schema, error.instance)
        ]
    got = f"got {_shown(error.instance)}"
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return [InputProblem(where, "type", f"expected {' or '.join(map(str, names))}, {got}")]
    if kind == "enum":
        return [InputProblem(where, kind, f"expected one of {_json(error.validator_value)}, {got}")]
    if kind == "const":
        return [InputProblem(where, kind, f"expected {_json(error.validator_value)}, {got}")]
    return [InputProblem(where, str(kind), f"{error.message}")]


def _extra_keys(schema: Any, instance: dict[str, Any]) -> list[str]:
    """The keys `additionalProperties` refuses: neither listed nor matching a pattern."""
    listed = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [
        name
        for name in instance
        if name not in listed and not any(_search(pattern, name) for pattern in patterns)
    ]


def _search(pattern: str, name: str) -> bool:
    from scriptcontract.text_patterns import PatternTooSlow, search

    try:
        return search(pattern, name)
    except PatternTooSlow:
        return False  # the pattern's own problem is said once, by `located_problems`


def _key_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the inputs object)"


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return clipped(text, _SHOWN_CHARS)


def _shown(value: Any) -> str:
    text = _json(value)
    kind = next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")
    return f"{text} ({kind})"


def inferred_warning(script: Path, inputs: Any, source: str | None) -> str | None:
    """A warning (never a refusal) when the inputs break the schema inferred from `source`,
    for a script without a declared schema: the inference is a guess from the code."""
    schema = inferred_schema(script, source)
    problems = input_problems(schema, inputs) if schema is not None else []
    return inferred_message(script, problems) if problems else None


def inferred_schema(script: Path, source: str | None) -> dict[str, Any] | None:
    """The schema inferred from `source`, for a script without a declared schema."""
    if source is None or schema_path(script).exists():
        return None
    from scriptcontract.contract.input_schema import infer_input_schema

    return infer_input_schema(source)


def inferred_message(script: Path, problems: list[str]) -> str:
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        "the inputs may not be what the script reads (schema inferred from the code; "
        f"`scriptcontract schema {script.name} --write` declares one):\n{listed}"
    )


def output_problems(schema: dict[str, Any], output: Any, *, success: bool) -> tuple[str, list[str]]:
    """The declared shape the output is held to (`$defs.output` on success, `$defs.error` on
    failure) and how it breaks it; no problems when the schema declares no such shape."""
    name = "output" if success else "error"
    shapes = schema.get("$defs")
    shape = shapes.get(name) if isinstance(shapes, dict) else None
    if not isinstance(shape, dict) or output is None:
        return name, []
    return name, input_problems(shape, output)
