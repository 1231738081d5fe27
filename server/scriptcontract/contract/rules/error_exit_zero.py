"""SCR203 error-exits-zero: an error path ends with exit code 0, so the caller sees success."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.facts import ExitCall, Facts
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.flow import block_terminates, earlier_statements, later_statements
from scriptcontract.contract.model import FUNCTION_TYPES, TRY_TYPES, Site
from scriptcontract.contract.rules._helpers import is_broad
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.error_shape import error_dict, payload_dict
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR203",
    name="error-exits-zero",
    severity=Severity.ERROR,
    summary="An error path exits with code 0, so the run is reported as a success.",
    explanation="""
The executor decides success by the exit code. An `except Exception:` block that ends with
`sys.exit(0)`, an error object printed before `sys.exit(0)`, or an error handler that simply
falls off the end of the script (exit code 0) all make a failed run look successful. Exit 1
after printing the error object.
""",
    bad_example="""
import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps({"success": True, "value": 1 / inputs["divisor"]}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
""",
    good_example="""
import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps({"success": True, "value": 1 / inputs["divisor"]}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
""",
    fix="End every error path with `sys.exit(1)`.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts, model = ctx.facts, ctx.model
    for exit_call in facts.exit_calls:
        if exit_call.code != 0 or exit_call.message:
            continue
        handler = exit_call.site.ctx.handler
        if handler is not None and is_broad(model, handler):
            yield Report(
                ctx.range(exit_call.site.node),
                "this error handler exits 0: the failed run is reported as a success",
            )
        elif _after_error_object(ctx, exit_call):
            yield Report(
                ctx.range(exit_call.site.node),
                "exit code 0 after writing an error object: exit 1 on errors",
            )
    for site in model.trys:
        yield from _falls_off(ctx, site)


def _after_error_object(ctx: RuleContext, exit_call: ExitCall) -> bool:
    for earlier in earlier_statements(ctx.model, exit_call.site.stmt):
        writes = ctx.facts.writes_in(earlier)
        if writes:
            payload = payload_dict(ctx, writes[-1])
            return payload is not None and error_dict(ctx, payload, in_handler=False)
    return False


def _falls_off(ctx: RuleContext, site: Site) -> Iterator[Report]:
    """A broad handler that prints an error and lets the script end normally (exit 0)."""
    facts, model = ctx.facts, ctx.model
    for handler in site.node.handlers:  # type: ignore[attr-defined]
        if not is_broad(model, handler) or not handler.body:
            continue
        if any(isinstance(n, (ast.Raise, ast.Return)) for n in ast.walk(handler)):
            continue
        if block_terminates(handler.body, facts.ends_path, loop=False):
            continue
        if _has_exit_inside(facts, handler):
            continue
        writes = [w for w in facts.json_writes if _within(w.site.node, handler)]
        if not writes:
            continue
        if site.ctx.loop is not None or not _script_ends_after(ctx, site.stmt, depth=0):
            continue
        yield Report(
            ctx.lines.first_line_of(handler),
            "after this error the script ends normally, with exit code 0: add sys.exit(1)",
            related=(ctx.related(writes[0].site.node, "the error object written here"),),
        )


def _has_exit_inside(facts: Facts, node: ast.AST) -> bool:
    return any(_within(e.site.node, node) for e in facts.exit_calls)


def _script_ends_after(ctx: RuleContext, stmt: ast.stmt, depth: int) -> bool:
    """True when nothing that could exit or write runs after `stmt` until the script ends."""
    for later in later_statements(ctx.model, stmt):
        if not isinstance(later, (ast.Pass, *FUNCTION_TYPES, ast.ClassDef)):
            return False
    parent = ctx.model.parent_of(stmt)
    while parent is not None and parent.stmt is not None:
        owner = parent.stmt
        if isinstance(owner, (ast.For, ast.AsyncFor, ast.While, *TRY_TYPES)):
            return False
        if isinstance(owner, FUNCTION_TYPES):
            return depth < 2 and _calls_end_script(ctx, owner, depth)
        parent = ctx.model.parent_of(owner)
    return True


def _calls_end_script(ctx: RuleContext, function: ast.stmt, depth: int) -> bool:
    """The function is called, and every call is the script's last act (or `sys.exit(f())`)."""
    name = getattr(function, "name", "")
    info = ctx.model.local_function(name)
    if info is None or info.node is not function:
        return False
    sites = ctx.model.calls.get(name, [])
    if not sites:
        return False
    for site in sites:
        stmt = site.stmt
        exits_with_it = (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and ctx.model.resolve(stmt.value.func) in ("sys.exit", "exit")
            and site.node in stmt.value.args
        )
        plain = isinstance(stmt, ast.Expr) and stmt.value is site.node
        if not (exits_with_it or plain) or not _script_ends_after(ctx, stmt, depth + 1):
            return False
    return True


def _within(inner: ast.AST, outer: ast.AST) -> bool:
    start = (outer.lineno, outer.col_offset)  # type: ignore[attr-defined]
    end = (outer.end_lineno, outer.end_col_offset)  # type: ignore[attr-defined]
    return start <= (inner.lineno, inner.col_offset) <= end  # type: ignore[attr-defined]


RULE = Rule(META, check)
