"""Reparse only what an edit touched.

The language server analyses the document a user is typing in after every pause, and for a
long script `ast.parse` costs more than everything else the analysis does. An
`IncrementalParser` keeps the last tree of one document, cut into *chunks*: the lines from
one top-level statement (decorators included) up to the next; the first chunk starts at line 0.
For a new text it finds the lines that differ, keeps the chunks wholly before them as they
are, keeps those wholly after them and moves their line numbers by the number of lines added
or removed, and parses only the chunks in between, with one more on each side (indenting the
first line of a chunk joins it to the statement above it).

Why that gives the tree a full parse would: every chunk boundary is the start of a line that
began a top-level statement at column 0 in a text that parsed, so the tokenizer carries
nothing across it (no bracket, string, continuation line or indentation), and the text on
both sides of the reparsed region is unchanged. The region itself must parse on its own; if
it does not (an unclosed bracket or string now runs into the next chunk, a decorator lost its
function...), or anything else is unusual, the whole text is parsed, so syntax errors always
come from a full parse, exactly as without this class. `tests/contract/test_incremental.py`
compares the trees of both ways after hundreds of random edits.

Not thread-safe: a tree it returns is updated in place by the next call (line numbers of the
statements after an edit), so one parser serves one document, one analysis at a time.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from scriptcontract.contract.parsing import feature_version, parse
from scriptcontract.contract.settings import LintSettings


@dataclass
class _Chunk:
    start: int  # 0-based first line
    stmts: list[ast.stmt]
    # Every node with a line number, collected the first time the chunk has to move.
    positioned: list[ast.AST] | None = field(default=None, repr=False)


@dataclass
class _State:
    lines: list[str]
    chunks: list[_Chunk]
    feature_version: tuple[int, int]


class IncrementalParser:
    """`parse(source, path, settings)` for successive versions of one document."""

    def __init__(self) -> None:
        self._state: _State | None = None
        # The model's walk of each expression of the last tree (see `ScriptModel`), which the
        # analyser hands back for the next tree: statements an edit kept are the same objects.
        self.scans: dict[ast.AST, list[ast.AST]] = {}
        # What the last call did ("full" or "reparsed N of M lines"): for tests and benchmarks.
        self.last_action = ""

    def parse(self, source: str, path: str | None, settings: LintSettings) -> ast.Module:
        """The tree of `source`, as `parse` gives it; raises as `parse` does."""
        version = feature_version(settings)
        lines = _lines(source)
        # A text that does not parse keeps the last tree that did: the next edit is compared
        # with that text, so typing through a broken state does not lose the reuse.
        state = self._state
        if state is not None and state.feature_version == version and "\x00" not in source:
            try:
                tree = self._reparse(state, lines, path, settings)
            except Exception:  # any surprise: the full parse below decides
                tree = None
            if tree is not None:
                return tree
        self.last_action = "full"
        tree = parse(source, path, settings)
        chunks = _chunks(tree.body)
        if chunks:
            chunks[0].start = 0
        self._state = _State(lines, chunks, version)
        return tree

    def lines_kept(self, source: str) -> Callable[[int], int | None] | None:
        """For a text that does not parse: where each line of the last text that parsed is
        now, or None for a line of the top-level statements the edits touched (the broken
        ones). None when there is no such text, or `source` is that text."""
        state = self._state
        if state is None or not state.chunks:
            return None
        old, chunks, lines = state.lines, state.chunks, _lines(source)
        if old == lines:
            return None
        same = 0
        limit = min(len(old), len(lines))
        while same < limit and old[same] == lines[same]:
            same += 1
        same_end = 0
        while same_end < limit - same and old[-1 - same_end] == lines[-1 - same_end]:
            same_end += 1
        first = _chunk_at(chunks, same)
        last = _chunk_at(chunks, max(same, len(old) - same_end - 1))
        start = chunks[first].start
        # Typing in the blank lines after a statement (a new statement) breaks nothing above.
        statements_end = chunks[first].stmts[-1].end_lineno or 0
        if same >= statements_end:
            start = statements_end
        end = chunks[last + 1].start if last + 1 < len(chunks) else len(old)
        delta = len(lines) - len(old)

        def line(old_line: int) -> int | None:
            if old_line < start:
                return old_line
            if old_line >= end:
                return old_line + delta
            return None

        return line

    def _reparse(
        self, state: _State, lines: list[str], path: str | None, settings: LintSettings
    ) -> ast.Module | None:
        old, chunks = state.lines, state.chunks
        if not chunks:
            return None
        same = 0
        limit = min(len(old), len(lines))
        while same < limit and old[same] == lines[same]:
            same += 1
        if same == len(old) == len(lines):
            self.last_action = "unchanged"
            return _module(chunks)
        same_end = 0
        while same_end < limit - same and old[-1 - same_end] == lines[-1 - same_end]:
            same_end += 1
        delta = len(lines) - len(old)
        first = _chunk_at(chunks, same)
        last = _chunk_at(chunks, max(same, len(old) - same_end - 1))
        lo, hi = max(first - 1, 0), min(last + 1, len(chunks) - 1)
        start = chunks[lo].start
        end = chunks[hi + 1].start if hi + 1 < len(chunks) else len(old)
        region_lines = lines[start : end + delta]
        # A backslash at the end of a line joins it to the next one: at either edge of the
        # region that would join text the region does not hold, so the whole text decides.
        if (start and lines[start - 1].endswith("\\")) or (
            end < len(old) and region_lines and region_lines[-1].endswith("\\")
        ):
            return None
        # Empty lines in front number the region's lines as in the whole text, for far less
        # than moving its nodes afterwards. A region that runs to the end of the document is
        # its end exactly: a newline added after a final backslash would end the statement
        # the document leaves open.
        region = "\n" * start + "\n".join(region_lines) + ("\n" if end < len(old) else "")
        tree = parse(region, path, settings)
        head, tail = chunks[:lo], chunks[hi + 1 :]
        self._state = None  # the tail moves in place: the old state is no longer true
        middle = _chunks(tree.body)
        if delta:
            for chunk in tail:
                _move(chunk, delta)
        chunks = head + middle + tail
        if chunks:
            chunks[0].start = 0  # the comment lines above the first statement are its chunk's
        self._state = _State(lines, chunks, state.feature_version)
        self.last_action = f"reparsed {end + delta - start} of {len(lines)} lines"
        return _module(chunks)


def _module(chunks: list[_Chunk]) -> ast.Module:
    return ast.Module(body=[stmt for chunk in chunks for stmt in chunk.stmts], type_ignores=[])


def _lines(source: str) -> list[str]:
    """The lines as Python numbers them: its tokenizer reads `\r\n` and `\r` as `\n`."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source.split("\n")


def _first_line(stmt: ast.stmt) -> int:
    """0-based line where a top-level statement begins (its first decorator's line)."""
    line = stmt.lineno
    for decorator in getattr(stmt, "decorator_list", ()):
        line = min(line, decorator.lineno)
    return line - 1


def _chunks(body: list[ast.stmt]) -> list[_Chunk]:
    """Group statements into chunks; statements sharing a line (`a; b`) share a chunk."""
    chunks: list[_Chunk] = []
    for stmt in body:
        line = _first_line(stmt)
        if chunks and chunks[-1].stmts[-1].end_lineno == line + 1:
            # `a; b` (or `a = (...\n...); b`): the statement before ends on this one's line.
            chunks[-1].stmts.append(stmt)
        else:
            chunks.append(_Chunk(line, [stmt]))
    return chunks


def _chunk_at(chunks: list[_Chunk], line: int) -> int:
    """Index of the chunk holding 0-based `line` (the last chunk runs to the end)."""
    lo, hi = 0, len(chunks) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if chunks[mid].start <= line:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _move(chunk: _Chunk, delta: int) -> None:
    """Move a chunk `delta` lines, in place (faster than `ast.increment_lineno`)."""
    if chunk.positioned is None:
        chunk.positioned = _positioned(chunk.stmts)
    for node in chunk.positioned:
        node.lineno += delta  # type: ignore[attr-defined]
        if node.end_lineno is not None:  # type: ignore[attr-defined]
            node.end_lineno += delta  # type: ignore[attr-defined]
    chunk.start += delta


def _positioned(stmts: list[ast.stmt]) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(stmts)
    ast_t = ast.AST
    while stack:
        node = stack.pop()
        values = node.__dict__
        if "lineno" in values:
            found.append(node)
        for value in values.values():
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast_t))
            elif isinstance(value, ast_t):
                stack.append(value)
    return found


__all__ = ["IncrementalParser"]
