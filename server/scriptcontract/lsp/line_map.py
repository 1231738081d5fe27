"""Where the lines of an older text went in the newer one: results that were computed for the
text as it was (a run that started before the user typed, the findings of the last text
that parsed) land on the lines they describe.

Pure. Lines the edits left alone map exactly; a line that was rewritten maps to the line
that replaced it (the same offset into the rewritten block, or its last line); a deleted
line maps to where the deletion happened. Columns are kept, clamped to the new line.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace

from scriptcontract.contract.finding import Finding, Position, Range, RelatedLocation


class LineMap:
    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self.new = new
        self.identity = list(old) == list(new)
        # (old start, new start, old length, new length) of each block, in order.
        self._blocks: list[tuple[int, int, int, int]] = []
        if not self.identity:
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for _, i1, i2, j1, j2 in matcher.get_opcodes():
                self._blocks.append((i1, j1, i2 - i1, j2 - j1))
        self._starts = [block[0] for block in self._blocks]

    def line(self, old_line: int) -> int:
        if self.identity or not self._blocks:
            return old_line
        index = max(bisect_right(self._starts, old_line) - 1, 0)
        old_start, new_start, old_length, new_length = self._blocks[index]
        offset = old_line - old_start
        if offset >= old_length:  # past the end of the old text
            return new_start + new_length + (offset - old_length)
        if new_length == 0:
            return new_start
        return new_start + min(offset, new_length - 1)

    def position(self, where: Position) -> Position:
        line = min(self.line(where.line), max(len(self.new) - 1, 0))
        text = self.new[line] if 0 <= line < len(self.new) else ""
        return Position(line=line, character=min(where.character, len(text)))

    def range(self, where: Range) -> Range:
        start, end = self.position(where.start), self.position(where.end)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return Range(start=start, end=end)

    def finding(self, finding: Finding, path: str | None = None) -> Finding:
        """`finding` on the new text, with its related locations in the same file (no path,
        or `path`)."""
        if self.identity:
            return finding
        related = [
            self._related(item) if item.path in (None, path) else item for item in finding.related
        ]
        return replace(finding, range=self.range(finding.range), related=related)

    def _related(self, item: RelatedLocation) -> RelatedLocation:
        return replace(item, range=self.range(item.range))


def moved_finding(finding: Finding, line_of: Callable[[int], int | None]) -> Finding | None:
    """`finding` with every line it names moved by `line_of` (its fixes too), or None when
    one of them has no place any more."""

    def move(where: Range) -> Range | None:
        start, end = line_of(where.start.line), line_of(where.end.line)
        if start is None or end is None:
            return None
        return Range.of(start, where.start.character, end, where.end.character)

    where = move(finding.range)
    if where is None:
        return None
    fixes = []
    for fix in finding.fixes:
        edits = []
        for edit in fix.edits:
            edit_range = move(edit.range)
            if edit_range is None:
                return None
            edits.append(replace(edit, range=edit_range))
        fixes.append(replace(fix, edits=edits))
    related = []
    for item in finding.related:
        item_range = move(item.range) if item.path is None else item.range
        if item_range is None:
            return None
        related.append(replace(item, range=item_range))
    return replace(finding, range=where, fixes=fixes, related=related)
