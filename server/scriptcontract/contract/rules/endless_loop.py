"""SCR404 endless-loop: `while True:` with no way out runs into the timeout."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import TRY_TYPES, loop_statements
from scriptcontract.contract.rules._helpers import catches_only_interrupts
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR404",
    name="endless-loop",
    severity=Severity.ERROR,
    summary="A `while True:` loop has no `break`, `return`, `raise` or exit.",
    explanation="""
A loop that can never end keeps the script running until the executor kills it at the
timeout; the caller gets `Script execution timed out` and no result. The rule is silent when
the loop contains any way out (`break`, `return`, `raise`, `sys.exit()`, a `yield`, a call to a
function of the script that raises or exits, `next()`, `input()`) or sits inside a `try`
with a handler of an error (which may be the way out). A `try` whose handlers catch only
`KeyboardInterrupt`, `SystemExit` or `GeneratorExit` is no way out: the executor stops a run
by killing it, never with Ctrl-C.
""",
    bad_example="""
count = 0
while True:
    count += 1
""",
    good_example="""
count = 0
while True:
    count += 1
    if count >= 1000:
        break
""",
    fix="Add a condition that ends the loop, or loop over a bounded range.",
)

ESCAPE_CALLS = frozenset({"next", "input", "os.kill", "signal.alarm"})


def check(ctx: RuleContext) -> Iterator[Report]:
    for site in ctx.model.while_true:
        loop = site.node
        if site.ctx.handler is not None or (site.ctx.in_try and _may_end_by_handler(ctx, loop)):
            continue
        if _has_way_out(ctx, loop.body):  # type: ignore[attr-defined]
            continue
        yield Report(
            ctx.lines.first_line_of(loop),
            "this loop has no way out (no break, return, raise or exit): "
            "it runs until the script is killed at its timeout",
        )


def _may_end_by_handler(ctx: RuleContext, loop: ast.AST) -> bool:
    """Whether a `try` around the loop may end it: any handler of an error may (a `raise`
    deeper down is caught there); a `try` whose handlers catch only interrupts
    (`except KeyboardInterrupt:`) never does, since no run is ended by Ctrl-C."""
    model = ctx.model
    stmt = loop if isinstance(loop, ast.stmt) else None
    while stmt is not None and not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parent = model.parent_of(stmt)
        if parent is None:
            return False
        owner = parent.stmt
        if (
            isinstance(owner, TRY_TYPES)
            and parent.block is owner.body  # type: ignore[attr-defined]
            and not (
                owner.handlers  # type: ignore[attr-defined]
                and all(catches_only_interrupts(model, h) for h in owner.handlers)  # type: ignore[attr-defined]
            )
        ):
            return True
        stmt = owner
    return False


def _has_way_out(ctx: RuleContext, body: list[ast.stmt]) -> bool:
    for stmt, own in loop_statements(body):
        if isinstance(stmt, (ast.Return, ast.Raise)):
            return True
        if (own and isinstance(stmt, ast.Break)) or _expressions_escape(ctx, stmt):
            return True
    return False


def _expressions_escape(ctx: RuleContext, stmt: ast.stmt) -> bool:
    for field, value in ast.iter_fields(stmt):
        if field in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        nodes = value if isinstance(value, list) else [value]
        for root in nodes:
            if not isinstance(root, ast.AST):
                continue
            walked = list(ast.walk(root))
            # `[line.strip() for line in lines]`: a method of a comprehension's own item is
            # work on the item, not the loop's way out.
            items = {
                name.id
                for node in walked
                if isinstance(node, ast.comprehension)
                for name in ast.walk(node.target)
                if isinstance(name, ast.Name)
            }
            for node in walked:
                if isinstance(node, (ast.Yield, ast.YieldFrom)):
                    return True
                if (
                    isinstance(node, ast.Call)
                    and not _on_item(node, items)
                    and _call_escapes(ctx, node)
                ):
                    return True
    return False


def _on_item(call: ast.Call, items: set[str]) -> bool:
    head = call.func
    while isinstance(head, ast.Attribute):
        head = head.value
    return isinstance(call.func, ast.Attribute) and isinstance(head, ast.Name) and head.id in items


def _call_escapes(ctx: RuleContext, call: ast.Call) -> bool:
    name = ctx.model.resolve(call.func)
    if name in ESCAPE_CALLS or ctx.facts.ends_path(call):
        return True
    if any(e.site.node is call for e in ctx.facts.exit_calls):
        return True
    local = ctx.model.local_function(name)
    if local is not None:
        return bool(ctx.facts.summary(local).exit_calls) or any(
            isinstance(n, ast.Raise) for n in ast.walk(local.node)
        )
    if name is None:
        return True
    head = name.split(".", 1)[0]
    # A builtin, or a function of an imported module (time.sleep), does not end the loop; a
    # method of some object may raise to end it (queue.get_nowait(), ...): unsure.
    return "." in name and head not in ctx.model.aliases.values()


RULE = Rule(META, check)
