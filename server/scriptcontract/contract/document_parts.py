"""JSON documents written in parts: `print("{")`, one `print()` per field, `print("}")`.

Each part alone looks like stray text, and sending the parts to stderr (the stray-output
fix) would leave a lone `{` on stdout. A run of writes in one block that opens with a
literal `{` or `[` and closes with a literal `}` or `]` is one document written in parts.
The run may open and close in the script's own helpers (`begin()`, one `field()` call per
item, `end()`, as a CGI answer or a JSON-RPC reply is often written): a call of a helper
whose first statement writes an opener opens it, one whose last statement writes a closer
closes it, and the writes of a helper called only inside such runs are parts too.
"""

from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Write
    from scriptcontract.contract.model import FunctionInfo, ScriptModel

OPENERS = ("{", "[")
CLOSERS = ("}", "]")


def document_parts(model: ScriptModel, writes: list[Write]) -> set[int]:
    """The ids of the write calls that belong to a document written in parts."""
    by_stmt: dict[int, Write] = {id(w.site.stmt): w for w in writes if w.payload is not None}
    calls = _helper_calls(model, writes, by_stmt)
    parts: set[int] = set()
    in_runs: dict[int, tuple[FunctionInfo, int]] = {}  # each helper's calls inside a run
    openers = [(w.site.stmt, w.site.ctx.function) for w in writes if _opens(w)]
    openers += [(c.stmt, c.scope) for c in calls.values() if c.opens]
    openers.sort(key=lambda o: (o[0].lineno, o[0].col_offset))
    covered: set[int] = set()  # statements already inside a run: an opener there is a part
    for stmt, scope in openers:
        if id(stmt) in covered:
            continue
        parent = model.parent_of(stmt)
        if parent is None:
            continue
        block = parent.block
        for index in range(parent.position + 1, len(block)):
            later, call = by_stmt.get(id(block[index])), calls.get(id(block[index]))
            if (later is not None and _closes(later)) or (call is not None and call.closes):
                first, last = block[parent.position], block[index]
                for w in writes:
                    if w.site.ctx.function is scope and _inside(w.site.stmt, first, last):
                        parts.add(id(w.site.node))
                        covered.add(id(w.site.stmt))
                for call in calls.values():
                    if call.scope is scope and _inside(call.stmt, first, last):
                        covered.add(id(call.stmt))
                        counted = in_runs.get(id(call.helper), (call.helper, 0))[1]
                        in_runs[id(call.helper)] = (call.helper, counted + 1)
                break
    for helper, count in in_runs.values():
        if count == sum(1 for c in calls.values() if c.helper is helper) == _uses(model, helper):
            parts.update(id(w.site.node) for w in writes if w.site.ctx.function is helper)
    return parts


class _HelperCall(NamedTuple):
    stmt: ast.stmt  # `begin()` as a statement of its own
    scope: FunctionInfo | None  # where the call is
    helper: FunctionInfo
    opens: bool  # its first statement writes an opener
    closes: bool  # its last statement writes a closer


def _helper_calls(
    model: ScriptModel, writes: list[Write], by_stmt: dict[int, Write]
) -> dict[int, _HelperCall]:
    """Statements that only call one of the script's plain functions that writes, by id."""
    writers = {
        id(w.site.ctx.function): w.site.ctx.function for w in writes if w.payload is not None
    }
    found: dict[int, _HelperCall] = {}
    for helper in writers.values():
        if helper is None or helper.is_method or model.local_function(helper.name) is not helper:
            continue
        body = helper.node.body
        if body and _is_docstring(body[0]):
            body = body[1:]
        if not body:
            continue
        first, last = by_stmt.get(id(body[0])), by_stmt.get(id(body[-1]))
        opens = first is not None and _opens(first)
        closes = last is not None and _closes(last)
        for site in model.calls.get(helper.name, ()):
            if type(site.stmt) is ast.Expr and site.stmt.value is site.node:
                found[id(site.stmt)] = _HelperCall(
                    site.stmt, site.ctx.function, helper, opens, closes
                )
    return found


def _uses(model: ScriptModel, helper: FunctionInfo) -> int:
    """How many times the helper is named: a call that is not a statement of its own, or a
    use as a value, is a use outside any run."""
    return sum(
        1
        for found in model.scans.values()
        for node in found
        if type(node) is ast.Name and node.id == helper.name
    )


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


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
