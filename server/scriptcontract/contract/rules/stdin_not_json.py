"""SCR102 stdin-not-parsed-as-json: stdin is read but never parsed as JSON."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR102",
    name="stdin-not-parsed-as-json",
    severity=Severity.WARNING,
    summary="stdin is read, but nothing in the script parses it as JSON.",
    explanation="""
The executor writes the inputs to stdin as one JSON document. A script that reads stdin as
plain text (line by line, `input()`, `csv.reader(sys.stdin)`) sees the JSON source, not the
values. The rule is silent as soon as any JSON (or YAML) parser appears in the script, and
whenever stdin is used in a way it does not follow (stored, or handed to another function).
""",
    bad_example="""
import json
import sys

name = sys.stdin.readline().strip()
print(json.dumps({"success": True, "greeting": f"Hello, {name}"}))
""",
    good_example="""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
print(json.dumps({"success": True, "greeting": f"Hello, {inputs.get('name')}"}))
""",
    fix="Parse stdin with `json.load(sys.stdin)` or `json.loads(sys.stdin.read())`.",
)


TEXT_READS = frozenset({"read", "readline", "readlines"})
TEXT_CONSUMERS = frozenset({"csv.reader", "csv.DictReader"})


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    if not facts.stdin_refs or facts.json_parses or not facts.has_entry_point:
        return
    reads = _text_reads(ctx)
    if reads is None or not reads or facts.delegates:
        return
    yield Report(
        ctx.range(reads[0]),
        "stdin is read but never parsed as JSON: the inputs arrive as a JSON document",
    )


def _text_reads(ctx: RuleContext) -> list[ast.AST] | None:
    """Where stdin is certainly read as text; None when some use of it is not understood
    (stored, passed to another function, `isatty()`...): then the rule is unsure."""
    model = ctx.model
    reads: list[ast.AST] = []
    understood: set[int] = set()
    for site in model.method_calls(*TEXT_READS):
        receiver = site.node.func.value  # type: ignore[attr-defined]
        if isinstance(receiver, ast.Attribute) and receiver.attr == "buffer":
            receiver = receiver.value
        if model.resolve(receiver) == N.STDIN:
            reads.append(site.node)
            understood.add(id(receiver))
    for site in model.calls_to(*TEXT_CONSUMERS):
        for arg in site.node.args[:1]:
            if model.resolve(arg) == N.STDIN:
                reads.append(site.node)
                understood.add(id(arg))
    for ref in model.stream_refs.get(N.STDIN, ()):
        stmt = ref.stmt
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and stmt.iter is ref.node:
            reads.append(ref.node)
            understood.add(id(ref.node))
        elif id(ref.node) not in understood:
            return None
    reads.extend(site.node for site in model.calls_to(*N.OTHER_STDIN_READS))
    reads.sort(key=lambda node: (node.lineno, node.col_offset))  # type: ignore[attr-defined]
    return reads


RULE = Rule(META, check)
