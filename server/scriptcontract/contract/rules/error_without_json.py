"""SCR204 error-without-json: the script exits with an error but writes no JSON object."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

EXIT_CODE_RULE = "SCR201"

META = RuleMeta(
    code="SCR204",
    name="error-without-json",
    severity=Severity.WARNING,
    summary="An error path exits without writing a JSON error object to stdout.",
    explanation="""
On failure the contract still wants one JSON object on stdout, such as
`{"success": false, "error": "...", "error_type": "ValueError"}`, then exit code 1. A bare
`sys.exit(1)`, `sys.exit("message")`, `sys.exit(exc)` or `raise SystemExit(exc)` (which print
the message on stderr), or `return 1` from a `main()` whose result is the exit code, leaves
the caller with only `Script exited with code 1`. The rule follows the statements before the
exit (and the callers of the function it is in); it is silent when anything before it may
have written to stdout. A write on a branch that returns or exits after it (an answer from a
cache, `return 0`) does not count: the error path below never follows it.
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
if "name" not in inputs:
    sys.exit("name is required")
print(json.dumps({"success": True, "greeting": "Hi " + inputs["name"]}))
""",
    good_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
if "name" not in inputs:
    print(json.dumps({"success": False, "error": "name is required"}))
    sys.exit(1)
print(json.dumps({"success": True, "greeting": "Hi " + inputs["name"]}))
""",
    fix="Print a JSON error object before exiting 1.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    if facts.stdout_reassigned:
        return
    returns = {id(e.site.node) for e in facts.return_exits}
    for exit_call in [*facts.exit_calls, *facts.return_exits]:
        code = exit_call.code
        if code is None or code == 0:
            continue
        if not exit_call.message and code != 1:
            if code not in ctx.settings.exit_codes and EXIT_CODE_RULE in ctx.enabled:
                continue  # the code itself is SCR201's finding; one report per exit
            if code in ctx.settings.exit_codes:
                continue  # a code of the project's own protocol (exit-codes), not an error
        if _wrote_before(ctx, exit_call.site.stmt, depth=0):
            continue
        if facts.delegated_output:  # asked last: following the project's modules costs most
            return
        if id(exit_call.site.node) in returns:
            what = f"returns exit code {code}"
        elif exit_call.message:
            what = "exits 1 with a message on stderr only"
        else:
            what = f"exits {code}"
        yield Report(
            ctx.range(exit_call.site.node),
            f"this error path {what} without writing a JSON error object to stdout",
        )


def _wrote_before(ctx: RuleContext, stmt: ast.stmt, depth: int) -> bool:
    """True when a write to stdout (or anything that may write) can come before `stmt`."""
    if ctx.facts.may_write_before(stmt):
        return True
    function = ctx.facts.function_of(stmt)
    if function is None:
        return False
    if depth >= 2:
        return True
    info = ctx.model.local_function(getattr(function, "name", None))
    sites = ctx.model.calls.get(info.name, []) if info is not None else []
    if info is None or info.node is not function or not sites:
        return True  # a method, or a function never called here: unsure
    return any(_wrote_before(ctx, site.stmt, depth + 1) for site in sites)


RULE = Rule(META, check)
