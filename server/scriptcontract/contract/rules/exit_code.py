"""SCR201 exit-code-not-0-or-1: the contract knows two exit codes, 0 and 1."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Fix, Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR201",
    name="exit-code-not-0-or-1",
    severity=Severity.WARNING,
    summary="The script exits with a code other than 0 (success) or 1 (error).",
    explanation="""
Callers of a workflow script read exit code 0 as success and 1 as failure; other codes are
reported as unexpected (`Script exited with code 2`) and may be handled as a crash. The rule
looks at `sys.exit(n)`, `exit(n)`, `quit(n)`, `os._exit(n)` and `raise SystemExit(n)` with a
literal code, and at the literal codes a function returns when the script ends with
`sys.exit(main())`. `sys.exit("message")` exits 1 and is fine here. A project whose scripts
use more codes on purpose (hooks that exit 2 to block) lists them in `exit-codes`
(`exit-codes = [0, 1, 2]`); the rule then reports only the others.
""",
    bad_example="""
import json
import sys

print(json.dumps({"success": False, "error": "missing input"}))
sys.exit(2)
""",
    good_example="""
import json
import sys

print(json.dumps({"success": False, "error": "missing input"}))
sys.exit(1)
""",
    fix="Exit 1 for every error; put the details in the JSON error object. The editor offers "
    "to replace the code with 1 (not applied by `check --fix`: callers may rely on it).",
)


def allowed_codes(ctx: RuleContext) -> str:
    """How the message names the codes this project allows."""
    codes = sorted(set(ctx.settings.exit_codes))
    if codes == [0, 1]:
        return "workflow scripts exit 0 on success and 1 on error"
    listed = ", ".join(str(code) for code in codes)
    return f"this project's scripts exit with {listed} (exit-codes)"


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    allowed = set(ctx.settings.exit_codes)
    for exit_call in facts.exit_calls:
        code = exit_call.code
        if code is not None and code not in allowed and not exit_call.message:
            target = exit_call.arg if exit_call.arg is not None else exit_call.site.node
            yield Report(
                ctx.range(target),
                f"exit code {code}: {allowed_codes(ctx)}",
                fixes=_to_one(ctx, exit_call.arg),
            )
        elif code is None and isinstance(exit_call.arg, ast.Call):
            function = ctx.model.local_function(ctx.model.resolve(exit_call.arg.func))
            if function is None:
                continue
            for ret in function.returns:
                if ret.value is None:
                    continue
                value = facts.constant(ret.value, function)
                if isinstance(value, int) and not isinstance(value, bool) and value not in allowed:
                    yield Report(
                        ctx.range(ret.value),
                        f"{function.name}() returns exit code {value}: {allowed_codes(ctx)}",
                        fixes=_to_one(ctx, ret.value),
                        related=(ctx.related(exit_call.site.node, "the exit code used here"),),
                    )


def _to_one(ctx: RuleContext, arg: ast.expr | None) -> tuple[Fix, ...]:
    if not isinstance(arg, (ast.Constant, ast.UnaryOp)):
        return ()
    return (Fix(title="Exit with 1", edits=[ctx.edit(arg, "1")], safe=False),)


RULE = Rule(META, check)
