"""Inputs checked against a script's declared schema before anything is started.

Every problem is listed in one message, by key, with what the schema expects and what the
inputs hold, so that a caller fixes them all at once. Only a declared schema refuses: an
inferred one is a guess from the code, and guesses never stop a run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scriptcontract.schema_files import SchemaFileError, read_declared_schema, schema_path
from scriptcontract.shown_values import clipped, printable_json, printable_name

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
    for ref in _local_refs(schema):
        if not _points_into(schema, ref):
            raise SchemaFileError(f"{path} cannot be used: its $ref {_json(ref)} leads nowhere")
    return schema


def schema_validator(schema: dict[str, Any]) -> Any:
    """A validator of `schema` that follows its references within the file and to the JSON
    Schema specifications only: it retrieves nothing. jsonschema's default registry fetches
    any other `$ref` (`urlopen`: an address, with no time limit, or `file:///`, any file of
    the machine, `/dev/zero` too), and a schema beside a script may have been planted by a
    run or a pull request (the fourteenth red team). Its patterns are matched with a time
    limit, for the same reason. When an instance reaches what it cannot follow, it raises
    `referencing.exceptions.Unresolvable`, `PatternTooSlow` or (a schema referring to
    itself) `RecursionError`."""
    from jsonschema import validators
    from jsonschema_specifications import REGISTRY  # bundled; its registry retrieves nothing

    from scriptcontract.text_patterns import bound_jsonschema

    bound_jsonschema()
    return validators.validator_for(schema)(schema, registry=REGISTRY)


def _local_refs(schema: Any) -> Iterator[str]:
    """The `$ref`s into the schema's own document (`#/...`); the others are found unusable
    when an instance reaches them (`located_problems`)."""
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and "$id" not in node:
                yield ref
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _points_into(schema: Any, ref: str) -> bool:
    """Whether the JSON pointer of `ref` (`#/$defs/item`) names a part of `schema`."""
    from urllib.parse import unquote

    node = schema
    for raw in ref[2:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


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
    from referencing.exceptions import Unresolvable

    from scriptcontract.text_patterns import PatternTooSlow

    validator = schema_validator(schema)
    problems: list[InputProblem] = []
    try:
        for error in validator.iter_errors(inputs):
            for problem in _described(error):
                if problem not in problems:
                    problems.append(problem)
    except PatternTooSlow as exc:
        problems.append(InputProblem((), "pattern", str(exc)))
    except RecursionError:
        # Deep inputs under a recursive schema: the validator's recursion, not the inputs'.
        problems.append(
            InputProblem((), "depth", "nested too deeply to be checked against the schema")
        )
    except Unresolvable as exc:
        # Only references within the schema file are followed (nothing is fetched): a
        # `$ref` to another file or address, or to a part the file lacks, stops the check.
        problems.append(
            InputProblem(
                (),
                "$ref",
                f"the schema cannot be used: its $ref {_json(_ref(exc))} does not resolve "
                "(only references within the schema file are followed)",
            )
        )
    problems.sort(key=lambda item: item.where)
    return problems


def _ref(error: Exception) -> str:
    """The reference an `Unresolvable` is about, as the schema writes it (a pointer that
    leads nowhere is given without its `#`)."""
    ref = str(getattr(error, "ref", None) or error)
    return f"#{ref}" if ref.startswith("/") else ref


def input_problems(schema: dict[str, Any], inputs: Any) -> list[str]:
    """`key: expected X, got Y` for every way `inputs` breaks `schema`, in key order. A key
    is shown as a report shows a name: the inputs may come from a file a run wrote, and a
    terminal must not act on what they hold."""
    return [
        f"{printable_name(item.where)}: {item.problem}" for item in located_problems(schema, inputs)
    ]


NO_SCHEMA_CHECK = "--no-schema-check runs anyway"


def refusal(
    schema_file: Path | str,
    problems: Iterable[str],
    what: str = "the inputs",
    anyway: str = NO_SCHEMA_CHECK,
) -> str:
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"{what} do not match the declared schema {schema_file}; nothing was run "
        f"({anyway}):\n{listed}"
    )


def schema_refusal(
    script: Path, inputs: Any, *, shown: Callable[[Path], str], anyway: str = NO_SCHEMA_CHECK
) -> str | None:
    """Why the script's declared schema refuses `inputs` (or is unusable), None to run.
    `shown` names the schema file as the caller's user knows it; `anyway` says how to run
    regardless (a flag on the command line, an action in the editor)."""
    try:
        schema = declared_schema(script)
    except SchemaFileError as exc:
        return f"{exc}; nothing was run ({anyway})"
    if schema is None:
        return None
    problems = input_problems(schema, inputs)
    if not problems:
        return None
    return refusal(shown(schema_path(script)), problems, anyway=anyway)


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
    text = printable_json(json.dumps(value, ensure_ascii=False))
    return clipped(text, _SHOWN_CHARS)


def _shown(value: Any) -> str:
    text = _json(value)
    kind = next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")
    return f"{text} ({kind})"


def inferred_warning(script: Path, inputs: Any, source: str | None, shown: str) -> str | None:
    """A warning (never a refusal) when the inputs break the schema inferred from `source`,
    for a script without a declared schema: the inference is a guess from the code. A
    top-level key the script never reads is one too (a typo: `{"nam": 3}` for `name`), when
    the analysis sees every read of the inputs object. `shown`: the script's path as the
    reader would type it (the command the warning names is copied as it is)."""
    inferred = inferred_reads(script, source)
    if inferred is None:
        return None
    unread = unread_keys(script, inferred, inputs)
    problems = input_problems(inferred.schema, inputs) + unread
    return inferred_message(shown, problems) if problems else None


@dataclass(frozen=True)
class InferredReads:
    """The schema inferred from a script, and whether it names every key the script reads."""

    schema: dict[str, Any]
    every_read_seen: bool


def inferred_reads(script: Path, source: str | None) -> InferredReads | None:
    """The schema inferred from `source`, for a script without a declared schema, with
    whether it names every key the script reads (one inference)."""
    if source is None or schema_path(script).exists():
        return None
    from scriptcontract.contract.input_reads import every_read_seen
    from scriptcontract.contract.input_schema import inferred_inputs

    inferred = inferred_inputs(source)
    # Only whether every read is seen: not where each key is read (`key_reads.reads_of`).
    seen = False
    if inferred.inference is not None and inferred.followed:
        try:
            seen = every_read_seen(inferred.inference)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            seen = False  # as `reads_of`: no key is then called unread
    return InferredReads(inferred.schema, seen)


def did_you_mean(key: str, read: Iterable[str], present: Iterable[str]) -> str:
    """` (did you mean name?)` for a key the script never reads that is spelt like one it
    reads and the inputs lack (`nam` for `name`); "" when none is."""
    import difflib

    given = set(present)
    close = difflib.get_close_matches(key, [name for name in read if name not in given], 1)
    return f" (did you mean {close[0]}?)" if close else ""


def unread_keys(script: Path, inferred: InferredReads, inputs: Any) -> list[str]:
    """`key: <script> never reads this key (did you mean name?)` for each top-level key of
    `inputs` the script never reads; none when it may read keys the analysis cannot see
    (`**inputs`, `for key in inputs`: `input_reads.reads_every_key`)."""
    if not inferred.every_read_seen or not isinstance(inputs, dict):
        return []
    read = list(inferred.schema.get("properties") or {})
    problems: list[str] = []
    for key in inputs:
        if key in read:
            continue
        meant = did_you_mean(key, read, inputs)
        shown = printable_name(_key_path([key]))
        problems.append(f"{shown}: {script.name} never reads this key{printable_name(meant)}")
    return problems


def inferred_message(shown: str, problems: list[str]) -> str:
    """The warning for `problems`, naming the command that declares a schema for the script
    (`shown`: its path as the reader would type it)."""
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        "the inputs may not be what the script reads (schema inferred from the code; "
        f"`scriptcontract schema {shown} --write` declares one):\n{listed}"
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
