"""Inputs typed as JSON text: the object, or what is wrong with the text in words.

The editors' prompts show this message as the user types; JSON parsers' own messages
("Expected value but found T_END", "Expecting ',' delimiter") name parser states, not
what to change. Pure: text in, an object or a one-line message out.
"""

from __future__ import annotations

import json
from typing import Any

# What json.JSONDecodeError's `msg` says, and what it means for someone typing inputs.
_MEANINGS = {
    "Expecting value": "a value is expected",
    "Expecting ',' delimiter": "a comma or a closing bracket is missing",
    "Expecting ':' delimiter": "a colon is missing after the key",
    "Expecting property name enclosed in double quotes": "a key in double quotes is expected",
    "Extra data": "there is more text after the JSON object",
    "Unterminated string starting at": "a string is not closed",
    "Invalid control character at": "a string holds a tab or a line break (write \\t or \\n)",
    "Invalid \\escape": "a string holds an invalid \\ escape",
    "Invalid \\uXXXX escape": "a string holds an invalid \\u escape",
}
_KINDS = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}


class _NotJson(ValueError):
    """NaN and Infinity: Python reads them, JSON does not have them."""


def parse_inputs_text(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(the inputs, None) when `text` is a JSON object, else (None, what is wrong)."""
    if not text.strip():
        return None, "Type a JSON object, for example {} for no inputs."
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return None, describe_json_error(text, exc)
    except _NotJson as exc:
        return None, str(exc)
    except RecursionError:
        return None, "Not valid JSON: it is nested too deeply."
    if not isinstance(value, dict):
        kind = _KINDS.get(type(value), "a number")
        return None, f"The inputs must be a JSON object ({{...}}), not {kind}."
    return value, None


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"Not valid JSON: {name} is not a JSON number (write a number, or null).")


def describe_json_error(text: str, exc: json.JSONDecodeError) -> str:
    """`exc` in words, with where it is: "Not valid JSON: a comma or a closing bracket is
    missing at column 18 (the text ends there)."."""
    meaning = _MEANINGS.get(exc.msg, exc.msg[:1].lower() + exc.msg[1:])
    position = min(exc.pos, len(text))
    before = text[:position].rstrip()
    if exc.msg.startswith("Expecting property name") and before.endswith(","):
        meaning = "a comma cannot come before } in JSON"
    elif exc.msg.startswith("Expecting property name") and position < len(text):
        if text[position] not in "\"'":
            meaning = "keys need double quotes"
        elif text[position] == "'":
            meaning = "strings need double quotes, not single ones"
    elif exc.msg == "Expecting value" and position < len(text) and text[position] == "'":
        meaning = "strings need double quotes, not single ones"
    where = (
        f"column {exc.colno}"
        if "\n" not in text.rstrip()
        else f"line {exc.lineno}, column {exc.colno}"
    )
    return f"Not valid JSON: {meaning} at {where} ({_found(text, position)})."


def _found(text: str, position: int) -> str:
    rest = text[position:]
    if not rest.strip():
        return "the text ends there"
    shown = rest.split("\n", 1)[0][:12]
    return f"found {json.dumps(shown, ensure_ascii=False)}"
