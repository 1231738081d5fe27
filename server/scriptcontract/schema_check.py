"""Inputs checked against a script's declared schema before anything is started.

Every problem is listed in one message, by key, with what the schema expects and what the
inputs hold, so that a caller fixes them all at once. Only a declared schema refuses: an
inferred one is a guess from the code, and guesses never stop a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scriptcontract.schema_files import SchemaFileError, read_declared_schema, schema_path

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
    schema = found[0]
    from jsonschema import exceptions, validators

    try:
        validators.validator_for(schema).check_schema(schema)
    except exceptions.SchemaError as exc:
        raise SchemaFileError(
            f"{schema_path(script)} is not a valid JSON Schema: {exc.message}"
        ) from None
    return schema


def input_problems(schema: dict[str, Any], inputs: Any) -> list[str]:
    """`key: expected X, got Y` for every way `inputs` breaks `schema`, in key order."""
    from jsonschema import validators

    validator = validators.validator_for(schema)(schema)
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors(inputs):
        for where, problem in _described(error):
            if (where, problem) not in problems:
                problems.append((where, problem))
    problems.sort(key=lambda item: item[0])
    return [f"{where}: {problem}" for where, problem in problems]


def refusal(schema_file: Path, problems: Iterable[str], what: str = "the inputs") -> str:
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"{what} do not match the declared schema {schema_file}; nothing was run "
        f"(--no-schema-check runs anyway):\n{listed}"
    )


def _described(error: Any) -> list[tuple[str, str]]:
    where = _key_path(error.absolute_path)
    kind = error.validator
    if kind == "required" and isinstance(error.instance, dict):
        return [
            (_key_path([*error.absolute_path, name]), "expected a value (required), got nothing")
            for name in error.validator_value
            if name not in error.instance
        ]
    got = f"got {_shown(error.instance)}"
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return [(where, f"expected {' or '.join(map(str, names))}, {got}")]
    if kind == "enum":
        return [(where, f"expected one of {_json(error.validator_value)}, {got}")]
    if kind == "const":
        return [(where, f"expected {_json(error.validator_value)}, {got}")]
    return [(where, f"{error.message}")]


def _key_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the inputs object)"


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


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
