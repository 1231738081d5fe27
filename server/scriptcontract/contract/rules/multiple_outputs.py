"""SCR106 multiple-json-outputs: one run may write more than one JSON document."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.facts import Write, WriteKind
from scriptcontract.contract.finding import RelatedLocation, Severity
from scriptcontract.contract.flow import later_statements, terminates
from scriptcontract.contract.model import FunctionInfo
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR106",
    name="multiple-json-outputs",
    severity=Severity.ERROR,
    summary="More than one JSON document can be written on one path (in a loop, or twice).",
    explanation="""
The executor parses stdout as one JSON document. Two documents (`{...}{...}` or one per
line) are not valid JSON, so the whole result is lost. Typical causes: printing inside a loop,
printing a result and then printing again further down without exiting in between, or a
`main()` that prints its result while the caller also prints what `main()` returned.
Collect the results and print one object at the end. A document handed to the script's own
writer (`emit(json.dumps(row))`, with `def emit(line): sys.stdout.write(line + "\\n")`) or
written behind a prefix that is not text (`separator + json.dumps(row)`, a status-bar line)
counts; a function defined below the last write, which runs only when called, adds nothing.
A loop is reported once, at its first write, with its other writes as related locations.
A project whose scripts stream one JSON document per line on purpose sets
`output = "json-lines"`, and the rule is then silent.
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
for item in inputs.get("items", []):
    print(json.dumps({"item": item}))
""",
    good_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
results = [{"item": item} for item in inputs.get("items", [])]
print(json.dumps({"success": True, "results": results}))
""",
    fix="Build one result object and print it once.",
)


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    if not facts.has_entry_point or ctx.settings.output == "json-lines":
        return  # `output = "json-lines"`: one document per line is the project's contract
    reassigned = facts.stdout_reassigned
    carried = [] if reassigned else _writes_carrying_json(ctx)
    writes = [
        w
        for w in (*facts.json_writes, *carried)
        if (w.alias or not reassigned) and _continues_after(ctx, w)
    ]
    reported: set[int] = set()
    in_loops: dict[int, list[Write]] = {}
    for write in writes:
        if write.site.ctx.loop is not None and not _leaves_loop(ctx, write):
            in_loops.setdefault(id(write.site.ctx.loop), []).append(write)
            reported.add(id(write.site.node))
            continue
        second = _next_write(ctx, write, carried)
        if second is not None and id(second.site.node) not in reported:
            reported.add(id(second.site.node))
            yield Report(
                ctx.range(second.site.node),
                "a second JSON document can be written after the one on line "
                f"{write.site.node.lineno}: stdout must hold exactly one",
                related=(ctx.related(write.site.node, "the first JSON document"),),
            )
    for loop_writes in in_loops.values():
        # One report per loop: a JSON Lines loop is one mistake, however many prints.
        loop_writes.sort(key=lambda w: (w.site.node.lineno, w.site.node.col_offset))
        head, *others = loop_writes
        yield Report(
            ctx.range(head.site.node),
            "this writes a JSON document on every pass of the loop: "
            "collect the results and print one object",
            related=(
                *_via(ctx, head),
                *(ctx.related(w.site.node, "another write in the same loop") for w in others),
            ),
        )
    helpers_by_stmt: dict[int, list[Write]] = {}
    for inner in facts.helper_writes:
        helpers_by_stmt.setdefault(id(inner.site.stmt), []).append(inner)
    for write in facts.direct_writes:
        if reassigned and not write.alias:
            continue
        for inner in helpers_by_stmt.get(id(write.site.stmt), ()):
            if inner.helper is None:
                continue
            first = facts.summary(inner.helper).returns_normally_after_write
            if first is None or id(write.site.node) in reported:
                continue
            if write.kind is not WriteKind.JSON:
                continue
            reported.add(id(write.site.node))
            yield Report(
                ctx.range(write.site.node),
                f"{inner.helper.name}() already writes a JSON document before returning, "
                "and this writes another",
                related=(ctx.related(first.site.node, f"written inside {inner.helper.name}()"),),
            )


def _writes_carrying_json(ctx: RuleContext) -> list[Write]:
    """Writes not counted as JSON that still carry a JSON document behind a prefix that is
    not text (`prefix + json.dumps(row)`, a status-bar line), written directly or handed to
    one of the script's own writers (`emit(prefix + json.dumps(row))`, reported there)."""
    facts = ctx.facts
    found = [
        w
        for w in facts.direct_writes
        if w.kind is WriteKind.UNKNOWN
        and w.payload is not None
        and _prefixed_json(ctx, w.payload, w.site.ctx.function)
    ]
    found.extend(
        Write(site, WriteKind.JSON, arg)
        for site, arg, _ in facts.writer_calls
        if _prefixed_json(ctx, arg, site.ctx.function)
    )
    return found


def _prefixed_json(ctx: RuleContext, expr: ast.expr, scope: FunctionInfo | None) -> bool:
    """`prefix + json.dumps(row)`: a sum holding a JSON document, that is not text by its
    first operand (SCR105 reports `"Result: " + json.dumps(...)` as text)."""
    if not (isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add)):
        return False
    facts = ctx.facts
    if facts.payload_kind(expr, scope) is not WriteKind.UNKNOWN:
        return False
    operands: list[ast.expr] = []
    pending: list[ast.expr] = [expr]
    while pending:  # a stack, not recursion: a sum may be long
        node = pending.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pending.extend((node.left, node.right))
        else:
            operands.append(node)
    return any(
        isinstance(o, ast.Call) and facts.payload_kind(o, scope) is WriteKind.JSON for o in operands
    )


def _continues_after(ctx: RuleContext, write: Write) -> bool:
    if terminates(write.site.stmt, ctx.facts.ends_path, loop=False):
        return False  # the statement that writes also exits: `fail("...")`
    if write.helper is None:
        return True
    return ctx.facts.summary(write.helper).returns_normally_after_write is not None


def _leaves_loop(ctx: RuleContext, write: Write) -> bool:
    return ctx.facts.leaves_loop_after(write.site.stmt)


def _next_write(ctx: RuleContext, write: Write, carried: list[Write]) -> Write | None:
    def ends(call: ast.Call) -> bool:
        return ctx.facts.ends_path(call)

    for later in later_statements(ctx.model, write.site.stmt):
        if isinstance(later, DEFINITIONS):
            continue  # a `def` below the guard runs nothing: its writes are its callers'
        found = [w for w in ctx.facts.writes_in(later) if _continues_or_direct(ctx, w)]
        first, last = later.lineno, later.end_lineno or later.lineno
        found += [w for w in carried if first <= w.site.stmt.lineno <= last]
        found.sort(key=lambda w: (w.site.node.lineno, w.site.node.col_offset))
        if found:
            return found[0]
        if terminates(later, ends, loop=True):
            return None
    return None


def _continues_or_direct(ctx: RuleContext, write: Write) -> bool:
    return write.helper is None or bool(ctx.facts.summary(write.helper).json_writes)


def _via(ctx: RuleContext, write: Write) -> tuple[RelatedLocation, ...]:
    if write.helper is None:
        return ()
    summary = ctx.facts.summary(write.helper)
    if not summary.json_writes:
        return ()
    inner = summary.json_writes[0]
    return (ctx.related(inner.site.node, f"written inside {write.helper.name}()"),)


RULE = Rule(META, check)
