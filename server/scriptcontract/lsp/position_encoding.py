"""Columns between code points (the analyser's unit) and the client's UTF-8/16/32 code units.

The analyser reports columns as Python `str` indices (code points). LSP clients count in
the position encoding negotiated at `initialize`: UTF-16 unless the client offers another.
Every conversion in the server goes through the two functions here, on one line of text
without its line terminator. Out-of-range columns are clamped to the line, and a client
column that falls inside a multi-unit character is rounded down to that character's start.
"""

from __future__ import annotations

from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-16", "utf-32")


def _utf8_width(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


def _utf16_width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def to_client_column(line: str, column: int, encoding: Encoding) -> int:
    """The client's column for code-point `column` of `line`."""
    column = max(0, min(column, len(line)))
    if encoding == "utf-32" or line.isascii():
        return column
    prefix = line[:column]
    # "surrogatepass": a lone surrogate (possible in JSON-delivered text) still counts.
    if encoding == "utf-16":
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2
    return len(prefix.encode("utf-8", "surrogatepass"))


def from_client_column(line: str, units: int, encoding: Encoding) -> int:
    """The code-point column for the client's column `units` on `line`."""
    if units <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(units, len(line))
    width = _utf16_width if encoding == "utf-16" else _utf8_width
    used = 0
    for index, char in enumerate(line):
        used += width(char)
        if used > units:
            return index
    return len(line)


def negotiate(offered: list[str] | None) -> Encoding:
    """The first encoding the client offers that we speak; UTF-16 when it offers none."""
    for name in offered or []:
        if name in ENCODINGS:
            return name
    return "utf-16"
