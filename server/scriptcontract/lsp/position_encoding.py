"""Columns between code points (the analyser's unit) and the client's UTF-8/16/32 code units.

The analyser reports columns as Python `str` indices (code points). LSP clients count in
the position encoding negotiated at `initialize`: UTF-16 unless the client offers another.
Every conversion in the server goes through the two functions here, on one line of text
without its line terminator. Out-of-range columns are clamped to the line, and a client
column that falls inside a multi-unit character is rounded down to that character's start.

Long non-ASCII lines (minified or generated code) get a table of client units every `_STEP`
code points, kept for the last few lines seen, so that converting thousands of positions on
one line costs O(_STEP) each instead of O(line): 80,000 findings on a 1 MB line took 10 s.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
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


_LONG_LINE = 512
_STEP = 64
_KEPT_TABLES = 8
# (id(line), encoding) -> (line, table); the line is kept so that its id stays its own.
_tables: dict[tuple[int, str], tuple[str, list[int]]] = {}
_tables_lock = threading.Lock()  # the lint worker thread and the event loop both convert


def _units(text: str, encoding: Encoding) -> int:
    # "surrogatepass": a lone surrogate (possible in JSON-delivered text) still counts.
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


def _table(line: str, encoding: Encoding) -> list[int]:
    """Client units before code point `k * _STEP` of `line`, for every k, and the total."""
    key = (id(line), encoding)
    with _tables_lock:
        kept = _tables.get(key)
    if kept is not None and kept[0] is line:
        return kept[1]
    table = [0]
    total = 0
    for first in range(0, len(line), _STEP):
        total += _units(line[first : first + _STEP], encoding)
        table.append(total)
    with _tables_lock:
        if len(_tables) >= _KEPT_TABLES:
            _tables.clear()
        _tables[key] = (line, table)
    return table


def to_client_column(line: str, column: int, encoding: Encoding) -> int:
    """The client's column for code-point `column` of `line`."""
    column = max(0, min(column, len(line)))
    if encoding == "utf-32":
        return column
    if len(line) > _LONG_LINE:
        table = _table(line, encoding)
        if table[-1] == len(line):  # every character is one unit
            return column
        step = column // _STEP
        return table[step] + _units(line[step * _STEP : column], encoding)
    if line.isascii():
        return column
    return _units(line[:column], encoding)


def from_client_column(line: str, units: int, encoding: Encoding) -> int:
    """The code-point column for the client's column `units` on `line`."""
    if units <= 0:
        return 0
    if encoding == "utf-32":
        return min(units, len(line))
    start = used = 0
    if len(line) > _LONG_LINE:
        table = _table(line, encoding)
        if table[-1] == len(line):
            return min(units, len(line))
        step = bisect_right(table, units) - 1
        start, used = step * _STEP, table[step]
    elif line.isascii():
        return min(units, len(line))
    width = _utf16_width if encoding == "utf-16" else _utf8_width
    for index in range(start, len(line)):
        used += width(line[index])
        if used > units:
            return index
    return len(line)


def negotiate(offered: list[str] | None) -> Encoding:
    """The first encoding the client offers that we speak; UTF-16 when it offers none."""
    for name in offered or []:
        if name in ENCODINGS:
            return name
    return "utf-16"
