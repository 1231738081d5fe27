"""SCR501 eval-of-input: input data is run as Python code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR501",
    name="eval-of-input",
    severity=Severity.ERROR,
    summary="`eval()`, `exec()` or `compile()` runs data that comes from the inputs.",
    explanation="""
Whoever sends the inputs can then run any Python code inside the script, with its access to
the project's files and secrets. Parse the data instead: `json.loads()` for JSON,
`ast.literal_eval()` for Python literals, or a small table of allowed operations.
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
result = eval(inputs["expression"])
""",
    good_example="""
import ast
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
result = ast.literal_eval(inputs["expression"])
""",
    fix="Parse the data; never evaluate it.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    if not ctx.facts.stdin_refs:
        return
    fed = _compiled_for_exec(ctx)
    for site in ctx.model.calls_to(*N.EVAL_CALLS):
        if site.name in ctx.model.functions or not site.node.args:
            continue
        if id(site.node) in fed:
            continue  # compile() whose code object exec()/eval() runs: reported there
        if ctx.facts.is_input(site.node.args[0], site.ctx.function):
            yield Report(
                ctx.range(site.node),
                f"{site.name}() of input data lets the caller run any code in the script",
            )


RULE = Rule(META, check)


def _compiled_for_exec(ctx: RuleContext) -> set[int]:
    """The compile() calls whose result an exec()/eval() of the script runs, directly or
    through a name."""
    fed: set[int] = set()
    for site in ctx.model.calls_to("exec", "eval", "builtins.exec", "builtins.eval"):
        first = site.node.args[0] if site.node.args else None
        candidates: list[ast.expr | None] = [first]
        if isinstance(first, ast.Name):
            candidates = list(ctx.facts.assigned_values(first.id, site.ctx.function))
        for value in candidates:
            if isinstance(value, ast.Call) and ctx.model.resolve(value.func) in COMPILERS:
                fed.add(id(value))
    return fed


COMPILERS = frozenset({"compile", "builtins.compile"})
