"""A configuration table checked against a settings dataclass, without pydantic.

`check` validates the project's table on every run that analyses a file, and importing
pydantic cost it more than analysing one script. The types the settings use are few (bool,
int, str, an enum or a `Literal` of strings, and lists and string-keyed tables of those),
so they are checked here, in pydantic's lax mode and in its words: the messages users see
in a configuration error are the ones they saw when pydantic checked the same table.

Keys are kebab-case; the field's own name (snake_case) is accepted too, the kebab one
winning when both are given. A field's `metadata` may add `ge` (the least number),
`min_length`, `pattern` (searched for) and `check` (a function of the value giving the
reason it is wrong, or None).
"""

from __future__ import annotations

import dataclasses
import math
import re
import typing
from enum import Enum
from typing import Any, Literal, NamedTuple, TypeVar

from scriptcontract.toml_names import to_kebab

T = TypeVar("T")
UNKNOWN_KEY = "unknown key"
# What pydantic takes as an integer in a string: `1_000`, ` 7 `, `2.0`; not `1e3` or `0x10`.
_INT_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_INT_LIMIT = 2**63
_HINTS: dict[type, dict[str, Any]] = {}


class Problem(NamedTuple):
    """One wrong value: where (the key, then list indexes or table keys), why, what it was."""

    where: tuple[str | int, ...]
    message: str  # UNKNOWN_KEY for a key the settings do not have
    value: Any


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validate(cls: type[T], table: dict[str, Any]) -> tuple[T, list[Problem]]:
    """The settings `table` gives, each wrong key left at its default, and what was wrong."""
    hints = _hints(cls)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    used: set[str] = set()
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        alias = to_kebab(field.name)
        key = alias if alias in table else field.name if field.name in table else None
        if key is None:
            continue
        used.add(key)
        found: list[Problem] = []
        value = _value(hints[field.name], table[key], (key,), found)
        if not found:
            found += _constraints(field, value, table[key], (key,))
        if found:
            problems += found
        else:
            values[field.name] = value
    problems += [Problem((key,), UNKNOWN_KEY, table[key]) for key in table if key not in used]
    return cls(**values), problems


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _value(kind: Any, value: Any, where: tuple[str | int, ...], problems: list[Problem]) -> Any:
    """`value` as `kind`; each wrong part is added to `problems` (the result is then unused)."""
    origin = typing.get_origin(kind)
    try:
        if origin is list:
            if not isinstance(value, (list, tuple, set, frozenset)):
                raise _Invalid("Input should be a valid list")
            (item,) = typing.get_args(kind)
            return [_value(item, v, (*where, i), problems) for i, v in enumerate(value)]
        if origin is dict:
            if not isinstance(value, dict):
                raise _Invalid("Input should be a valid dictionary")
            _, item = typing.get_args(kind)
            return {k: _value(item, v, (*where, k), problems) for k, v in value.items()}
        return _scalar(kind, origin, value)
    except _Invalid as exc:
        problems.append(Problem(where, exc.message, value))
        return None


def _scalar(kind: Any, origin: Any, value: Any) -> Any:
    if origin is Literal:
        choices = typing.get_args(kind)
        if isinstance(value, str) and value in choices:
            return value
        raise _Invalid(f"Input should be {_either(choices)}")
    if isinstance(kind, type) and issubclass(kind, Enum):
        choices = tuple(member.value for member in kind)
        if isinstance(value, kind):
            return value
        if isinstance(value, str) and value in choices:
            return kind(value)
        raise _Invalid(f"Input should be {_either(choices)}")
    if kind is bool:
        return _bool(value)
    if kind is int:
        return _int(value)
    if kind is str:
        if isinstance(value, str):
            return value
        raise _Invalid("Input should be a valid string")
    raise TypeError(f"settings of type {kind!r} are not supported")


def _either(choices: tuple[Any, ...]) -> str:
    shown = [repr(choice) for choice in choices]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
    elif isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) or (
        isinstance(value, (int, float)) and -_INT_LIMIT <= value < _INT_LIMIT and value % 1 == 0
    ):
        raise _Invalid("Input should be a valid boolean, unable to interpret input")
    raise _Invalid("Input should be a valid boolean")


def _int(value: Any) -> int:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid("Input should be a finite number")
        if not value.is_integer():
            raise _Invalid("Input should be a valid integer, got a number with a fractional part")
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            raise _Invalid("Unable to parse input string as an integer, exceeded maximum size")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if _INT_TEXT.fullmatch(text):
            return int(text.partition(".")[0])
        raise _Invalid("Input should be a valid integer, unable to parse string as an integer")
    raise _Invalid("Input should be a valid integer")


def _constraints(
    field: dataclasses.Field[Any], value: Any, raw: Any, where: tuple[str | int, ...]
) -> list[Problem]:
    meta = field.metadata
    message = None
    if "ge" in meta and value < meta["ge"]:
        message = f"Input should be greater than or equal to {meta['ge']}"
    elif "min_length" in meta and len(value) < meta["min_length"]:
        least = meta["min_length"]
        message = f"String should have at least {least} character{'s' if least != 1 else ''}"
    elif "pattern" in meta and not re.search(_end_of_text(meta["pattern"]), value):
        message = f"String should match pattern '{meta['pattern']}'"
    elif "check" in meta:
        reason = meta["check"](value)
        message = f"Value error, {reason}" if reason else None
    return [Problem(where, message, raw)] if message else []


def _end_of_text(pattern: str) -> str:
    """A final `$` matching at the very end only, as in pydantic's (Rust) regex: in Python's
    it also matches before a final line break."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + "\\Z"
    return pattern
