"""SCR206 except-swallows-exit: a bare `except:` catches the script's own `sys.exit()`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Fix, Severity
from scriptcontract.contract.flow import walk_statements
from scriptcontract.contract.rules._helpers import EXIT_CATCHING, handler_names, reraises
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR206",
    name="except-swallows-exit",
    severity=Severity.WARNING,
    summary="A bare `except:` (or `except BaseException`) swallows the `sys.exit()` in its `try`.",
    explanation="""
`sys.exit()` works by raising `SystemExit`. A bare `except:` or `except BaseException:` around
it catches that exception: the intended exit code is lost, and the handler often prints a
second JSON document. Catch `Exception` instead, which lets `SystemExit` through.
""",
    bad_example="""
import json
import sys

try:
    print(json.dumps({"success": True}))
    sys.exit(0)
except:
    print(json.dumps({"success": False, "error": "failed"}))
    sys.exit(1)
""",
    good_example="""
import json
import sys

try:
    print(json.dumps({"success": True}))
    sys.exit(0)
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
""",
    fix="Catch `Exception`. The automatic fix rewrites the handler to `except Exception:`.",
    fixable=True,
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts, model = ctx.facts, ctx.model
    if not facts.exit_calls:
        return
    for site in model.trys:
        node = site.node
        exit_inside = _exit_in_body(ctx, node.body)  # type: ignore[attr-defined]
        if exit_inside is None:
            continue
        for handler in node.handlers:  # type: ignore[attr-defined]
            caught = handler_names(model, handler)
            if caught is not None and not any(name in EXIT_CATCHING for name in caught):
                continue
            if reraises(handler):
                break  # this handler lets SystemExit through, and later ones never see it
            label = "a bare except:" if caught is None else f"except {', '.join(caught)}"
            yield Report(
                ctx.lines.first_line_of(handler),
                f"{label} catches the SystemExit raised by the exit on line "
                f"{getattr(exit_inside, 'lineno', 0)}: catch Exception instead",
                fixes=_fix(ctx, handler),
                related=(ctx.related(exit_inside, "the exit that is swallowed"),),
            )


def _exit_in_body(ctx: RuleContext, body: list[ast.stmt]) -> ast.AST | None:
    for stmt in body:
        inside = ctx.facts.exits_in(stmt)
        if inside:
            return inside[0].site.node
    for stmt in walk_statements(body):
        if not isinstance(stmt, ast.Expr):
            continue
        exiting = [
            site.node
            for site in ctx.facts.calls_in(stmt)
            if (local := ctx.model.local_function(site.name)) is not None
            and ctx.facts.summary(local).exit_calls
        ]
        if exiting:
            return min(exiting, key=lambda call: (call.lineno, call.col_offset))
    return None


def _fix(ctx: RuleContext, handler: ast.ExceptHandler) -> tuple[Fix, ...]:
    if handler.type is None:
        edit = ctx.insert(handler.lineno, handler.col_offset + len("except"), " Exception")
        return (Fix(title="Catch Exception", edits=[edit]),)
    if isinstance(handler.type, ast.Name) and handler.type.id == "BaseException":
        return (Fix(title="Catch Exception", edits=[ctx.edit(handler.type, "Exception")]),)
    return ()


RULE = Rule(META, check)
