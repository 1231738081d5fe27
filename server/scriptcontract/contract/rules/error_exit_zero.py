"""SCR203 error-exits-zero: an error path ends with exit code 0, so the caller sees success."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.facts import ExitCall
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.flow import block_terminates
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
    write = ctx.facts.last_json_write_before(exit_call.site.stmt)
    if write is None:
        return False
    payload = payload_dict(ctx, write)
    return payload is not None and error_dict(ctx, payload, in_handler=False)


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
        if facts.exits_in(handler):
            continue
        writes = facts.writes_in(handler)
        if not writes:
            continue
        if site.ctx.loop is not None or not _script_ends_after(ctx, site.stmt, depth=0):
            continue
        yield Report(
            ctx.lines.first_line_of(handler),
            "after this error the script ends normally, with exit code 0: add sys.exit(1)",
            related=(ctx.related(writes[0].site.node, "the error object written here"),),
        )


def _script_ends_after(ctx: RuleContext, stmt: ast.stmt, depth: int) -> bool:
    """True when nothing that could exit or write runs after `stmt` until the script ends."""
    parent = ctx.model.parent_of(stmt)
    while parent is not None:
        if not ctx.facts.only_declarations_after(parent.block, parent.position):
            return False
        owner = parent.stmt
        if owner is None:
            return True
        if isinstance(owner, (ast.For, ast.AsyncFor, ast.While, *TRY_TYPES)):
            return False
        if isinstance(owner, FUNCTION_TYPES):
            return depth < 2 and _calls_end_script(ctx, owner, depth)
        parent = ctx.model.parent_of(owner)
    return False


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


RULE = Rule(META, check)
