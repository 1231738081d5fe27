"""Source positions: `ast`'s 1-based lines and UTF-8 byte columns to 0-based code-point ones.

Lines end at `\r\n`, `\r` or `\n`, as for Python's tokenizer and the LSP (not `str.splitlines`,
which also splits at form feeds and other separators that Python treats as ordinary characters).
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right

from scriptcontract.contract.finding import Position, Range

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Where `str.splitlines` splits and Python does not. Without them in a text (almost always),
# `splitlines` gives Python's lines, at half the cost of the regular expression.
OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# Lines up to this long are converted directly. Longer ones (minified or generated code) get
# a table of byte offsets every `_STEP` characters, so that each conversion costs O(_STEP)
# instead of O(line): thousands of findings on one 1 MB line took minutes before.
_LONG_LINE = 512
_STEP = 64


class LineIndex:
    """Converts positions of one source text; lines are split only when first needed."""

    __slots__ = ("_checkpoints", "_lines", "_starts", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None
        self._checkpoints: dict[int, list[int] | None] = {}

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.source)
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line] if 0 <= line < len(lines) else ""

    def char_of(self, line: int, byte_col: int) -> int:
        """The code-point column of UTF-8 byte column `byte_col` on 0-based `line`."""
        text = self.line_text(line)
        if len(text) > _LONG_LINE:
            return self._char_of_long(line, text, byte_col)
        if text.isascii():
            return min(byte_col, len(text))
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))

    def _char_of_long(self, line: int, text: str, byte_col: int) -> int:
        if line not in self._checkpoints:
            self._checkpoints[line] = None if text.isascii() else _checkpoints(text)
        offsets = self._checkpoints[line]
        if offsets is None:
            return min(byte_col, len(text))
        step = bisect_right(offsets, byte_col) - 1
        first = step * _STEP
        if first >= len(text):
            return len(text)
        chunk = text[first : first + _STEP].encode("utf-8", "surrogatepass")
        return first + len(chunk[: byte_col - offsets[step]].decode("utf-8", "ignore"))

    def position(self, lineno: int, byte_col: int) -> Position:
        """A `Position` from an `ast` (1-based line, byte column) pair."""
        line = max(lineno - 1, 0)
        return Position(line=line, character=self.char_of(line, byte_col))

    def range_of(self, node: ast.AST) -> Range:
        """The whole extent of an `ast` node."""
        lineno: int = getattr(node, "lineno", 1)
        col: int = getattr(node, "col_offset", 0)
        end_lineno: int = getattr(node, "end_lineno", None) or lineno
        end_col: int = getattr(node, "end_col_offset", None) or col
        return Range(start=self.position(lineno, col), end=self.position(end_lineno, end_col))

    def first_line_of(self, node: ast.AST) -> Range:
        """The node's extent, cut at the end of its first line (for long statements)."""
        full = self.range_of(node)
        if full.end.line == full.start.line:
            return full
        end = len(self.line_text(full.start.line).rstrip())
        return Range(
            start=full.start,
            end=Position(line=full.start.line, character=end),
        )

    def line_range(self, line: int) -> Range:
        """The whole of 0-based `line`, without its line break."""
        return Range(
            start=Position(line=line, character=0),
            end=Position(line=line, character=len(self.line_text(line))),
        )

    def offset(self, position: Position) -> int:
        """The index into the source of a code-point `position` (clamped to the text)."""
        starts = self.line_starts()
        if position.line >= len(starts):
            return len(self.source)
        start = starts[position.line]
        return start + min(position.character, len(self.line_text(position.line)))

    def line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            starts.extend(match.end() for match in LINE_BREAK.finditer(self.source))
            self._starts = starts
        return self._starts

    def segment(self, node: ast.AST) -> str | None:
        """The source text of a node (like `ast.get_source_segment`, without re-splitting)."""
        if getattr(node, "end_lineno", None) is None:
            return None
        where = self.range_of(node)
        return self.source[self.offset(where.start) : self.offset(where.end)]


def split_lines(source: str) -> list[str]:
    """The lines of `source` as Python sees them (a line break at the end: an empty last
    line), without their line breaks."""
    others = OTHER_BREAKS[:5] if source.isascii() else OTHER_BREAKS
    if any(other in source for other in others):
        return LINE_BREAK.split(source)
    lines = source.splitlines()
    if not source or source[-1] in "\r\n":
        lines.append("")
    return lines


def _checkpoints(text: str) -> list[int]:
    """The UTF-8 byte offset of every `_STEP`-th character of `text`, and the total."""
    offsets = [0]
    total = 0
    for first in range(0, len(text), _STEP):
        total += len(text[first : first + _STEP].encode("utf-8", "surrogatepass"))
        offsets.append(total)
    return offsets
