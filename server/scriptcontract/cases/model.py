"""What a cases file holds: cases, each with inputs and what its run is expected to give.

Keys are spelled as the run's result spells them (`exit_code`, `error_type`, `timed_out`:
see `scriptcontract run --json`), so an expectation reads as part of a result. The JSON
Schema that editors use to check and complete these files is generated from these models
(`schema.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
)

from scriptcontract.cases.paths import PathSyntaxError, parse_pattern

KINDS = ("any", "string", "number", "integer", "boolean", "timestamp", "uuid")
PlaceholderKind = Literal["any", "string", "number", "integer", "boolean", "timestamp", "uuid"]


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


@dataclass(frozen=True)
class TextPattern:
    """What a text (the error, stderr) must hold: `contains` a text, or `matches` a regex."""

    contains: str | None = None
    matches: str | None = None

    def accepts(self, text: str) -> bool:
        """Raises `PatternTooSlow` (a pattern planted to backtrack for ever, most likely)."""
        if self.contains is not None:
            return self.contains in text
        from scriptcontract.text_patterns import search

        return search(self.matches or "", text)

    def describe(self) -> str:
        if self.contains is not None:
            return f"containing {self.contains!r}"
        return f"matching /{self.matches}/"


def _text_pattern(value: Any) -> TextPattern:
    if isinstance(value, TextPattern):
        return value
    if isinstance(value, str):
        return TextPattern(contains=value)
    if isinstance(value, dict) and len(value) == 1:
        ((key, text),) = value.items()
        if key in ("contains", "matches") and isinstance(text, str):
            if key == "matches":
                _regex(text)
            return TextPattern(**{key: text})
    raise ValueError(
        'expected a text it contains, {"contains": "text"} or {"matches": "regular expression"}'
    )


@dataclass(frozen=True)
class Placeholder:
    """A volatile value: any value of a kind, or a string matching a regex."""

    kind: str  # one of KINDS, or "matches"
    pattern: str | None = None

    def describe(self) -> str:
        return f"a string matching /{self.pattern}/" if self.kind == "matches" else _A[self.kind]

    @property
    def marker(self) -> str:
        """What a recorded case holds at its path: readable, and never compared."""
        return f"<{self.kind}>" if self.kind != "matches" else "<matches>"


_A = {
    "any": "any value",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "timestamp": "a timestamp (ISO 8601 text, or a number)",
    "uuid": "a UUID",
}


def _placeholder(value: Any) -> Placeholder:
    if isinstance(value, Placeholder):
        return value
    if isinstance(value, str) and value in KINDS:
        return Placeholder(value)
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("matches"), str):
        _regex(value["matches"])
        return Placeholder("matches", value["matches"])
    raise ValueError(f'expected one of {", ".join(KINDS)}, or {{"matches": "regex"}}')


def _path(text: str) -> str:
    try:
        parse_pattern(text)
    except PathSyntaxError as exc:
        raise ValueError(f"not a path: {exc}") from None
    return text


_PATTERN_SCHEMA = {
    "description": "A text the value contains, or an object saying how to compare.",
    "anyOf": [
        {"type": "string", "description": "A text the value must contain."},
        {
            "type": "object",
            "properties": {"contains": {"type": "string", "description": "A text it contains."}},
            "required": ["contains"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "matches": {
                    "type": "string",
                    "format": "regex",
                    "description": "A regular expression (Python's) found in it.",
                }
            },
            "required": ["matches"],
            "additionalProperties": False,
        },
    ],
}
_PLACEHOLDER_SCHEMA = {
    "anyOf": [
        {
            "enum": list(KINDS),
            "description": "Any value of this kind is accepted at the path.",
        },
        {
            "type": "object",
            "properties": {
                "matches": {
                    "type": "string",
                    "format": "regex",
                    "description": "A regular expression (Python's) the whole string matches.",
                }
            },
            "required": ["matches"],
            "additionalProperties": False,
        },
    ]
}
Pattern = Annotated[TextPattern, PlainValidator(_text_pattern), WithJsonSchema(_PATTERN_SCHEMA)]
PlaceholderValue = Annotated[
    Placeholder, PlainValidator(_placeholder), WithJsonSchema(_PLACEHOLDER_SCHEMA)
]
PlaceholderPath = Annotated[str, AfterValidator(_path)]
Placeholders = dict[PlaceholderPath, PlaceholderValue]

_PLACEHOLDERS_DESCRIPTION = (
    "Volatile values of the output, by path: `generated_at`, `items[*].id`, `**.request_id`. "
    "The value there is not compared: it must be of the kind given."
)


class _Strict(BaseModel):
    # Strict: a JSON file says what it means; "true" is not true, nor 1.0 an exit code.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # A key left out means "not compared"; `null` would read as "compared with null".
        if value is None:
            raise ValueError("null is not a value here: leave the key out")
        return value


class Expectation(_Strict):
    """What the run must give. Only what is written here is compared."""

    success: bool | None = Field(
        None,
        description="Whether the run succeeds (exit 0 and one JSON object on stdout). "
        "Default: true, unless exit_code (not 0), error, error_type or timed_out says it fails.",
    )
    output: dict[str, Any] | None = Field(
        None, description="The JSON object the script prints, exactly (placeholders aside)."
    )
    output_includes: dict[str, Any] | None = Field(
        None,
        description="Only these keys of the output, at any depth: other keys may be there too. "
        "Arrays must have the items given.",
    )
    exit_code: int | None = Field(None, description="The script's exit code.")
    error: Pattern | None = Field(None, description="The run's error message.")
    error_type: str | None = Field(
        None, description="The error's type, as the result says (ValueError, KeyError, ...)."
    )
    stderr: Pattern | None = Field(None, description="What the script writes to stderr.")
    timed_out: bool | None = Field(
        None, description="Whether the run is killed at its timeout (timeout_ms)."
    )

    def expects_success(self) -> bool:
        """`success` as written, else what the other expectations imply."""
        if self.success is not None:
            return self.success
        fails = (
            (self.exit_code is not None and self.exit_code != 0)
            or self.error is not None
            or self.error_type is not None
            or bool(self.timed_out)
        )
        return not fails


class Case(_Strict):
    """One recorded case: a name, the inputs, what is expected."""

    name: str = Field(min_length=1, description="Unique in the file; what every report shows.")
    description: str | None = Field(None, description="What the case is about (not compared).")
    inputs: dict[str, Any] | None = Field(
        None, description="The inputs, as the script reads them on stdin. Default: {}."
    )
    inputs_file: str | None = Field(
        None,
        min_length=1,
        description="A JSON file in the project holding the inputs, relative to this file's "
        "folder (the script's sidecar: `hello.inputs.json`). Instead of `inputs`.",
    )
    expect: Expectation = Field(default_factory=Expectation, description="What is expected.")
    placeholders: Placeholders = Field(
        default_factory=dict, description=_PLACEHOLDERS_DESCRIPTION + " Added to the file's."
    )
    timeout_ms: int | None = Field(
        None,
        ge=1,
        description="How long the run may take, in ms (default: the file's, else "
        "the project's timeout).",
    )


class CasesFile(_Strict):
    """A script's recorded cases: `<script>.cases.json` beside `<script>.py`."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        title="scriptcontract cases",
        populate_by_name=True,
    )

    schema_: str | None = Field(None, alias="$schema", description="This file's JSON Schema.")
    placeholders: Placeholders = Field(
        default_factory=dict, description=_PLACEHOLDERS_DESCRIPTION + " For every case."
    )
    timeout_ms: int | None = Field(
        None, ge=1, description="How long each run may take, in ms (default: the project's)."
    )
    cases: list[Case] = Field(description="The cases, run in parallel, reported in this order.")
