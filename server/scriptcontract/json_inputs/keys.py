"""The keys of an inputs file: which ones to offer where the user types a key, and what to
say of one (its type, default, description, and where the script reads it).

A key is offered where a key can be typed in an inputs object (after `{` or `,`, also while
its string is half typed; after the last member, with the comma it then needs), when the
schema describes that object and the key is not there yet; the choice writes the key and,
when no `:` follows, a value to start from: the default, else the first allowed value, else
an empty value of the key's type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scriptcontract.json_inputs.outline import Outline, Token, is_closed_string
from scriptcontract.json_inputs.places import FileKind, KeyPath, containers_at, inputs_path
from scriptcontract.json_inputs.script_schema import ScriptSchema, read_path, schema_at

_EMPTY = {"string": '""', "integer": "0", "number": "0", "boolean": "false", "array": "[]",
          "object": "{}", "null": "null"}  # fmt: skip


_VALUE_ENDS = ("string", "number", "word", "}", "]")


@dataclass(frozen=True)
class KeyChoice:
    name: str
    detail: str  # its type, and whether it is required or its default
    description: str | None
    required: bool
    insert_text: str


@dataclass(frozen=True)
class KeyCompletion:
    start: int  # the text from start to end (the key's string being typed) is replaced
    end: int
    choices: list[KeyChoice]
    comma_at: int | None = None  # where a comma goes before the key (after the last member)


@dataclass(frozen=True)
class KeyAt:
    """The key under the cursor: its span, and its path within the inputs object."""

    start: int
    end: int
    path: KeyPath


def complete_key(
    kind: FileKind, outline: Outline, schema: ScriptSchema, offset: int
) -> KeyCompletion | None:
    if outline.root is None:
        return None
    found = outline.tokens
    before = [token for token in found if token.start < offset]
    start = end = offset
    typed: Token | None = None
    if before and before[-1].kind in ("string", "word") and offset <= before[-1].end:
        typed = before.pop()
        start, end = typed.start, typed.end
        closed = is_closed_string(outline.text[typed.start : typed.end])
        if typed.kind == "string" and offset == typed.end and closed:
            return None  # after a complete key: not typing one
    if not before:
        return None
    comma_at: int | None = None
    if before[-1].kind not in ("{", ","):
        if before[-1].kind not in _VALUE_ENDS:
            return None
        comma_at = before[-1].end  # after a member: the key comes with the comma it needs
    chain = containers_at(outline.root, offset)
    if not chain or chain[-1][1].kind != "object":
        return None
    path, holder = chain[-1]
    if comma_at is not None and not any(
        m.value is not None and m.value.end == comma_at for m in holder.members
    ):
        return None
    within = inputs_path(kind, path)
    if within is None:
        return None
    described = schema_at(schema.schema, within)
    if described is None:
        return None
    present = {m.key for m in holder.members if typed is None or m.key_start != typed.start}
    after = [token for token in found if token.start >= end]
    has_colon = bool(after) and after[0].kind == ":"
    required = set(described.get("required") or [])
    choices = []
    for name, child in (described.get("properties") or {}).items():
        if name in present:
            continue
        child = schema_at(schema.schema, (*within, name)) or {}
        key = json.dumps(name, ensure_ascii=False)
        text = key if has_colon else f"{key}: {_start_value(child)}"
        choices.append(
            KeyChoice(
                name,
                _detail(child, name in required),
                _description(child),
                name in required,
                text,
            )
        )
    return KeyCompletion(start, end, choices, comma_at)


def key_at(kind: FileKind, outline: Outline, offset: int) -> KeyAt | None:
    """The key whose string covers `offset`, in an inputs object of the file."""
    if outline.root is None:
        return None
    for path, holder in reversed(containers_at(outline.root, offset)):
        if holder.kind != "object":
            continue
        for member in holder.members:
            if member.key_start <= offset <= member.key_end:
                within = inputs_path(kind, (*path, member.key))
                if within is None or not within:
                    return None
                return KeyAt(member.key_start, member.key_end, within)
        return None
    return None


def describe_key(schema: ScriptSchema, path: KeyPath) -> tuple[str, str | None, list[int]] | None:
    """(a heading: the key, its type and whether it is required; its description; the
    1-based lines where the script reads it), or None when nothing is known of the key."""
    described = schema_at(schema.schema, path)
    reads = sorted({where.start.line + 1 for where in _reads(schema, path)})
    name = json.dumps(path[-1], ensure_ascii=False)
    if described is None:
        if len(path) == 1 and schema.reads_every_key and not reads:
            return f"{name}: {schema.script.name} never reads this key", None, []
        if not reads:
            return None
        return f"{name}: not in the schema ({schema.origin_text})", None, reads
    holder = schema_at(schema.schema, path[:-1]) or {}
    required = path[-1] in (holder.get("required") or [])
    heading = f"{name}: {_detail(described, required)} ({schema.origin_text})"
    return heading, _description(described), reads


def definition_lines(schema: ScriptSchema, path: KeyPath) -> list[Any]:
    """Where the script reads the key at `path` (ranges in the script), first read first."""
    return list(_reads(schema, path))


def _reads(schema: ScriptSchema, path: KeyPath) -> list[Any]:
    return schema.reads.get(read_path(path), [])


def _detail(described: dict[str, Any], required: bool) -> str:
    kinds = described.get("type")
    text = " | ".join(kinds) if isinstance(kinds, list) else str(kinds or "any JSON value")
    if "enum" in described and isinstance(described["enum"], list):
        text = " | ".join(json.dumps(v, ensure_ascii=False) for v in described["enum"])
    if required:
        return f"{text}, required"
    if "default" in described:
        return f"{text}, optional, default {json.dumps(described['default'], ensure_ascii=False)}"
    return f"{text}, optional"


def _description(described: dict[str, Any]) -> str | None:
    text = described.get("description")
    return text if isinstance(text, str) and text.strip() else None


def _start_value(described: dict[str, Any]) -> str:
    if "default" in described:
        return json.dumps(described["default"], ensure_ascii=False)
    if "const" in described:
        return json.dumps(described["const"], ensure_ascii=False)
    enum = described.get("enum")
    if isinstance(enum, list) and enum:
        return json.dumps(enum[0], ensure_ascii=False)
    kinds = described.get("type")
    first = kinds[0] if isinstance(kinds, list) and kinds else kinds
    return _EMPTY.get(str(first), "null") if first else "null"
