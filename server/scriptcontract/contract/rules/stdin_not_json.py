"""SCR102 stdin-not-parsed-as-json: stdin is read but never parsed as JSON."""

from __future__ import annotations

from collections.abc import Iterator

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
plain text (line by line, or with `input()`) sees the JSON source, not the values. The rule is
silent as soon as any JSON (or YAML) parser appears in the script, or when stdin is handed to
a function of another module.
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


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    refs = facts.stdin_refs
    if not refs or facts.json_parses or facts.delegates:
        return
    first = refs[0]
    yield Report(
        ctx.range(first.node),
        "stdin is read but never parsed as JSON: the inputs arrive as a JSON document",
    )


RULE = Rule(META, check)
