"""What the analyser reports: `Finding` and the position, edit and fix types inside it.

Positions are 0-based lines and 0-based columns counted in Unicode code points
(Python `str` indices), the same unit on every line. The language server converts
them to the client's encoding (UTF-16 or UTF-8); the CLI prints them 1-based.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class Position(BaseModel, frozen=True):
    line: int
    character: int


class Range(BaseModel, frozen=True):
    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, character: int, end_line: int, end_character: int) -> Range:
        return cls(
            start=Position(line=line, character=character),
            end=Position(line=end_line, character=end_character),
        )


class TextEdit(BaseModel, frozen=True):
    range: Range
    new_text: str


class Fix(BaseModel, frozen=True):
    """A change that resolves a finding; `safe` fixes are applied by `check --fix`."""

    title: str
    edits: list[TextEdit]
    safe: bool = True


class RelatedLocation(BaseModel, frozen=True):
    message: str
    range: Range
    path: str | None = Field(None, description="None means the same file.")


class Finding(BaseModel, frozen=True):
    code: str
    name: str
    message: str
    severity: Severity
    range: Range
    fixes: list[Fix] = Field(default_factory=list)
    related: list[RelatedLocation] = Field(default_factory=list)
