"""What the analyser reports: `Finding` and the position, edit and fix types inside it.

Positions are 0-based lines and 0-based columns counted in Unicode code points
(Python `str` indices), the same unit on every line. The language server converts
them to the client's encoding (UTF-16 or UTF-8); the CLI prints them 1-based.

Plain frozen dataclasses, not pydantic models: the analyser makes them, nobody sends them,
and importing pydantic would cost a one-file `check` more than the analysis itself. Each has
a docstring: `dataclass` otherwise writes one from the class's signature, at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the text: 0-based line, 0-based column in code points."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    """From `start` to `end` (not included)."""

    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, character: int, end_line: int, end_character: int) -> Range:
        return cls(Position(line, character), Position(end_line, end_character))


@dataclass(frozen=True, slots=True, kw_only=True)
class TextEdit:
    """Replace `range` with `new_text` (an empty range inserts)."""

    range: Range
    new_text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """A change that resolves a finding; `safe` fixes are applied by `check --fix`."""

    title: str
    edits: list[TextEdit]
    safe: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedLocation:
    """Another place that explains a finding (where a value came from)."""

    message: str
    range: Range
    path: str | None = None  # None: the same file


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One breach of the contract that a rule found, with its fixes."""

    code: str
    name: str
    message: str
    severity: Severity
    range: Range
    fixes: list[Fix] = field(default_factory=list)
    related: list[RelatedLocation] = field(default_factory=list)
