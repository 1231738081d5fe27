"""The values to offer where a value of an inputs file is typed: after a key's `:`, and as
an item of an array whose items the schema describes.

What the schema knows is offered, as JSON text: the default first (preselected), each
allowed value (`enum`, `const`), `true` and `false` for a boolean, `null` where it is
allowed, `{}` and `[]` to start an object or an array. A string or a number with none of
these gets nothing: there is no value to guess. What is typed already (`"fa`, `tr`, `1`) is
replaced, quotes included, so a choice never leaves half a string behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from scriptcontract.json_inputs.outline import Outline, Token, is_closed_string
from scriptcontract.json_inputs.places import FileKind, KeyPath, containers_at, inputs_path
from scriptcontract.json_inputs.script_schema import ScriptSchema, resolved, schema_at

_TYPED = ("string", "word", "number")
_MAX_BRANCHES = 32  # anyOf/oneOf/allOf alternatives read, nested ones included


@dataclass(frozen=True)
class ValueChoice:
    text: str  # the JSON text inserted (and shown)
    detail: str  # what it is: the default, an allowed value, a boolean...
    default: bool


@dataclass(frozen=True)
class ValueCompletion:
    start: int  # the text from start to end (the value being typed) is replaced
    end: int
    choices: list[ValueChoice]
    description: str | None
    after: str = ""  # written after the value: "," when the next member follows without one


def complete_value(
    kind: FileKind, outline: Outline, schema: ScriptSchema, offset: int
) -> ValueCompletion | None:
    """The values to offer at `offset`; None where no value of an inputs object is typed
    (an empty list of choices where one is, but the schema knows none)."""
    if outline.root is None:
        return None
    found = outline.tokens
    before = [token for token in found if token.start < offset]
    typed = _typed(outline.text, found, before, offset)
    if typed is False:
        return None  # just after a complete value: nothing is being typed
    if typed is not None and before and before[-1] is typed:
        before.pop()
    if not before:
        return None
    chain = containers_at(outline.root, offset)
    if not chain:
        return None
    path, holder = chain[-1]
    previous = before[-1]
    where: KeyPath
    if holder.kind == "object" and previous.kind == ":" and len(before) >= 2:
        key_token = before[-2]
        member = next((m for m in holder.members if m.key_start == key_token.start), None)
        if member is None:
            return None
        where = (*path, member.key)
    elif holder.kind == "array" and previous.kind in ("[", ","):
        where = (*path, sum(1 for item in holder.items if item.end <= previous.start))
    else:
        return None
    within = inputs_path(kind, where)
    if within is None:
        return None
    start, end = (typed.start, typed.end) if typed is not None else (offset, offset)
    described = schema_at(schema.schema, within)
    if described is None:
        return ValueCompletion(start, end, [], None)
    after = "," if _next_needs_comma(found, end, in_array=holder.kind == "array") else ""
    return ValueCompletion(start, end, _choices(schema.schema, described), _text(described), after)


def _next_needs_comma(found: list[Token], end: int, *, in_array: bool) -> bool:
    """True when what follows the value is the next member (a key and its colon) or the next
    item, with no comma between: the value typed on a line of its own above it."""
    index = next((i for i, token in enumerate(found) if token.start >= end), len(found))
    following = found[index : index + 2]
    if not following:
        return False
    if in_array:
        return following[0].kind in ("string", "number", "word", "{", "[")
    return following[0].kind == "string" and len(following) == 2 and following[1].kind == ":"


def _typed(
    text: str, found: list[Token], before: list[Token], offset: int
) -> Token | Literal[False] | None:
    """The scalar being typed at `offset` (the cursor in it, at its end, or just before
    it), None when none is, False just after a complete string (a value already typed)."""
    if before and before[-1].kind in _TYPED and offset <= before[-1].end:
        token = before[-1]
        if token.kind == "string" and offset == token.end:
            return False if is_closed_string(text[token.start : token.end]) else token
        return token
    index = next((i for i, token in enumerate(found) if token.start >= offset), len(found))
    after = found[index] if index < len(found) else None
    if after is None or after.start != offset or after.kind not in _TYPED:
        return None
    if index + 1 < len(found) and found[index + 1].kind == ":":
        return None  # the next member's key, not a value
    return after


def _choices(root: dict[str, Any], described: dict[str, Any]) -> list[ValueChoice]:
    allowed: list[Any] = []  # listed values (enum, const): they are the whole choice
    kinds: set[str] = set()  # the types of the alternatives that list no values
    default: tuple[Any] | None = None
    for branch in _branches(root, described):
        if default is None and "default" in branch:
            default = (branch["default"],)
        listed = [branch["const"]] if "const" in branch else branch.get("enum")
        if isinstance(listed, list):
            allowed.extend(listed)
            continue
        kind = branch.get("type")
        kinds.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
    offered: list[ValueChoice] = []
    seen: set[str] = set()

    def offer(value: Any, detail: str, *, is_default: bool = False) -> None:
        text = json.dumps(value, ensure_ascii=False)
        if text not in seen:
            seen.add(text)
            offered.append(ValueChoice(text, detail, is_default))

    if default is not None:
        member = " (an allowed value)" if any(default[0] == v for v in allowed) else ""
        offer(default[0], f"the default{member}", is_default=True)
    for value in allowed:
        offer(value, "an allowed value")
    if "boolean" in kinds:
        offer(True, "boolean")
        offer(False, "boolean")
    if "object" in kinds:
        offer({}, "an object")
    if "array" in kinds:
        offer([], "an array")
    if "null" in kinds:
        offer(None, "null: no value")
    return offered


def _branches(root: dict[str, Any], described: dict[str, Any]) -> list[dict[str, Any]]:
    """`described` and the alternatives it is made of (anyOf, oneOf, allOf), `$ref`s
    followed: an optional model field is `anyOf: [{type: string}, {type: null}]`."""
    out: list[dict[str, Any]] = []
    waiting: list[Any] = [described]
    while waiting and len(out) < _MAX_BRANCHES:
        node = resolved(root, waiting.pop(0))
        if not isinstance(node, dict):
            continue
        out.append(node)
        for word in ("anyOf", "oneOf", "allOf"):
            parts = node.get(word)
            if isinstance(parts, list):
                waiting.extend(parts)
    return out


def _text(described: dict[str, Any]) -> str | None:
    text = described.get("description")
    return text if isinstance(text, str) and text.strip() else None
