"""JSON documents written in parts: `print("{")`, one `print()` per field, `print("}")`.

Each part alone looks like stray text, and sending the parts to stderr (the stray-output
fix) would leave a lone `{` on stdout. A run of writes in one block that opens with a
literal `{` or `[` and closes with a literal `}` or `]` is one document written in parts.
"""

from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Write
    from scriptcontract.contract.model import ScriptModel

OPENERS = ("{", "[")
CLOSERS = ("}", "]")


def document_parts(model: ScriptModel, writes: list[Write]) -> set[int]:
    """The ids of the write calls that belong to a document written in parts."""
    by_stmt: dict[int, Write] = {id(w.site.stmt): w for w in writes if w.payload is not None}
    parts: set[int] = set()
    for write in writes:
        if id(write.site.node) in parts or not _opens(write):
            continue
        parent = model.parent_of(write.site.stmt)
        if parent is None:
            continue
        block = parent.block
        for index in range(parent.position + 1, len(block)):
            later = by_stmt.get(id(block[index]))
            if later is not None and _closes(later):
                first, last = block[parent.position], block[index]
                scope = write.site.ctx.function
                parts.update(
                    id(w.site.node)
                    for w in writes
                    if w.site.ctx.function is scope and _inside(w.site.stmt, first, last)
                )
                break
    return parts


def _opens(write: Write) -> bool:
    start, end = literal_edges(write.payload)
    if start is None or not start.lstrip().startswith(OPENERS):
        return False
    if start is end:  # a whole literal: a complete document is not a part
        try:
            json.loads(start)
        except ValueError:
            return True
        return False
    return True


def _closes(write: Write) -> bool:
    _, end = literal_edges(write.payload)
    return end is not None and end.rstrip().rstrip(",").endswith(CLOSERS)


def literal_edges(expr: ast.expr | None) -> tuple[str | None, str | None]:
    """The literal text a string expression starts and ends with, when it is written out."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value, expr.value
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first, last = expr.values[0], expr.values[-1]
        start = first.value if isinstance(first, ast.Constant) else None
        end = last.value if isinstance(last, ast.Constant) else None
        return (start if isinstance(start, str) else None, end if isinstance(end, str) else None)
    return None, None


def _inside(stmt: ast.stmt, first: ast.stmt, last: ast.stmt) -> bool:
    start = (first.lineno, first.col_offset)
    end = (last.end_lineno or last.lineno, last.end_col_offset or 0)
    return start <= (stmt.lineno, stmt.col_offset) <= end
