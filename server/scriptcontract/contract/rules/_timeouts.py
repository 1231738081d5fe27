"""What the timeout rules share: the timeout a fix writes, and the names bound to a call."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from scriptcontract.contract.finding import Fix
from scriptcontract.contract.model import CallSite
from scriptcontract.contract.rules.base import RuleContext


def fix_timeout_seconds(ctx: RuleContext) -> int:
    """Half the run timeout, at least one second: leaves time to report the failure."""
    return max(1, ctx.settings.timeout_ms // 2000)


def add_timeout_fix(ctx: RuleContext, site: CallSite) -> tuple[Fix, ...]:
    """Add `timeout=N` as the last argument of the call."""
    call = site.node
    if any(kw.arg is None for kw in call.keywords):
        return ()
    seconds = fix_timeout_seconds(ctx)
    arguments: list[ast.expr] = [*call.args, *(kw.value for kw in call.keywords)]
    if not arguments:
        # `proc.wait()`: write inside the parentheses, when they are exactly "()".
        text = ctx.lines.segment(call)
        func = ctx.lines.segment(call.func)
        if text is None or func is None or text != func + "()":
            return ()
        end_col = (call.end_col_offset or 1) - 1
        edit = ctx.insert(call.end_lineno or 1, end_col, f"timeout={seconds}")
        return (Fix(title=f"Add timeout={seconds}", edits=[edit]),)
    last = max(arguments, key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
    edit = ctx.insert(last.end_lineno or 1, last.end_col_offset or 0, f", timeout={seconds}")
    return (Fix(title=f"Add timeout={seconds}", edits=[edit]),)


def names_bound_to(sites: Iterable[CallSite]) -> set[str]:
    """Names the calls' results are bound to: `x = call(...)` and `with call(...) as x`."""
    names: set[str] = set()
    for site in sites:
        stmt = site.stmt
        if isinstance(stmt, ast.Assign) and stmt.value is site.node:
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.context_expr is site.node and isinstance(item.optional_vars, ast.Name):
                    names.add(item.optional_vars.id)
    return names
