"""Straight-line flow over statements: what runs after or before a statement in its function,
and which statements end the path (return, raise, exit, break)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from scriptcontract.contract.model import FUNCTION_TYPES, LOOP_TYPES, TRY_TYPES, ScriptModel


def later_statements(model: ScriptModel, stmt: ast.stmt) -> Iterator[ast.stmt]:
    """Statements that run after `stmt` falls through, up to its function's (or module's) end.

    Stops at the enclosing loop (what follows in the loop body is yielded; the loop's next pass
    is not) and at the function boundary.
    """
    current: ast.stmt | None = stmt
    while current is not None:
        current = _resume_point(model, current)
        parent = model.parent_of(current)
        if parent is None:
            return
        yield from parent.block[parent.position + 1 :]
        owner = parent.stmt
        if owner is None or isinstance(owner, (FUNCTION_TYPES, LOOP_TYPES)):
            return
        if isinstance(owner, ast.ClassDef):
            return
        current = owner


def _resume_point(model: ScriptModel, stmt: ast.stmt) -> ast.stmt:
    """`stmt`, or the first enclosing statement the walk up has something to do at.

    Levels where `stmt` is last in a block of an if, try or with yield nothing and stop
    nothing: they are skipped, and the answer is kept for every statement passed. Without
    it, each statement of an elif chain walked the whole chain above it.
    """
    walked: list[ast.stmt] = []
    current = stmt
    while True:
        known = model.resume_points.get(id(current))
        if known is not None:
            current = known
            break
        parent = model.parent_of(current)
        if parent is None or parent.position + 1 < len(parent.block):
            break
        owner = parent.stmt
        if owner is None or isinstance(owner, (*FUNCTION_TYPES, *LOOP_TYPES, ast.ClassDef)):
            break
        walked.append(current)
        current = owner
    for passed in walked:
        model.resume_points[id(passed)] = current
    return current


def enclosing(model: ScriptModel, stmt: ast.stmt) -> Iterator[ast.stmt]:
    """The compound statements around `stmt`, innermost first, up to its function."""
    parent = model.parent_of(stmt)
    while parent is not None and parent.stmt is not None:
        yield parent.stmt
        if isinstance(parent.stmt, FUNCTION_TYPES):
            return
        parent = model.parent_of(parent.stmt)


def terminates(stmt: ast.stmt, ends_path: Callable[[ast.Call], bool], *, loop: bool) -> bool:
    """True when `stmt` never falls through to the next statement.

    `ends_path(call)` says whether a call statement always leaves (sys.exit, a helper that
    exits). With `loop`, `break` and `continue` count as leaving too.
    """
    kind = type(stmt)
    if kind is ast.Return or kind is ast.Raise:
        return True
    if kind is ast.Break or kind is ast.Continue:
        return loop
    if kind is ast.Expr:
        value = stmt.value  # type: ignore[attr-defined]
        if type(value) is ast.Await:
            value = value.value
        return type(value) is ast.Call and ends_path(value)
    if kind is ast.If:
        node: ast.If = stmt  # type: ignore[assignment]
        # An elif chain in a loop, not by recursion: chains run to thousands of branches.
        while block_terminates(node.body, ends_path, loop=loop):
            if len(node.orelse) != 1 or type(node.orelse[0]) is not ast.If:
                return block_terminates(node.orelse, ends_path, loop=loop)
            node = node.orelse[0]
        return False
    if kind is ast.With or kind is ast.AsyncWith:
        return block_terminates(stmt.body, ends_path, loop=loop)  # type: ignore[attr-defined]
    if kind in TRY_TYPES:
        if block_terminates(stmt.finalbody, ends_path, loop=loop):  # type: ignore[attr-defined]
            return True
        body = block_terminates(stmt.body, ends_path, loop=loop) or block_terminates(  # type: ignore[attr-defined]
            stmt.orelse,  # type: ignore[attr-defined]
            ends_path,
            loop=loop,
        )
        return body and all(
            block_terminates(h.body, ends_path, loop=loop)
            for h in stmt.handlers  # type: ignore[attr-defined]
        )
    return False


def block_terminates(
    block: list[ast.stmt], ends_path: Callable[[ast.Call], bool], *, loop: bool
) -> bool:
    return any(terminates(stmt, ends_path, loop=loop) for stmt in block)


def walk_statements(block: list[ast.stmt], *, into_functions: bool = False) -> Iterator[ast.stmt]:
    """Every statement in `block`, nested blocks included (not nested functions by default)."""
    stack = list(reversed(block))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, FUNCTION_TYPES) and not into_functions:
            continue
        if isinstance(stmt, ast.ClassDef):
            continue
        for field in ("finalbody", "orelse", "handlers", "cases", "body"):
            children = getattr(stmt, field, None)
            if not children:
                continue
            for child in reversed(children):
                if isinstance(child, ast.stmt):
                    stack.append(child)
                else:  # an except handler or a match case
                    stack.extend(reversed(child.body))
