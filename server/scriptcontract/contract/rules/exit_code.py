"""SCR201 exit-code-not-0-or-1: the contract knows two exit codes, 0 and 1."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.facts import ExitCall
from scriptcontract.contract.finding import Fix, RelatedLocation, Severity
from scriptcontract.contract.model import FunctionInfo
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
`sys.exit(main())`. It also reports a child process's exit code passed on as the script's
own (`sys.exit(result.returncode)`, `exit(proc.wait())`, `sys.exit(subprocess.call(...))`):
the child may exit with any number; map it first (`sys.exit(0 if result.returncode == 0 else
1)`). A code passed through names is followed: a name bound on several paths (`code = 0`,
later `code = 3`), a choice (`2 if failed else 0`) and the value of the script's own helper
(`rc = run(); sys.exit(rc)`); each code other than 0 and 1 is reported where it is written.
`sys.exit("message")` exits 1 and is fine here. A project whose scripts
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
    reported: set[int] = set()
    for exit_call in facts.exit_calls:
        code = exit_call.code
        if code is not None and code not in allowed and not exit_call.message:
            target = exit_call.arg if exit_call.arg is not None else exit_call.site.node
            yield Report(
                ctx.range(target),
                f"exit code {code}: {allowed_codes(ctx)}",
                fixes=_to_one(ctx, exit_call.arg),
            )
        elif code is None and _child_exit_code(
            ctx, exit_call.arg, exit_call.site.ctx.function, depth=0
        ):
            assert exit_call.arg is not None
            yield _child_report(ctx, exit_call.arg, "the script exits with")
        elif code is None and isinstance(exit_call.arg, ast.Call):
            function = ctx.model.local_function(ctx.model.resolve(exit_call.arg.func))
            if function is None:
                continue
            for ret in function.returns:
                if ret.value is None:
                    continue
                if _child_exit_code(ctx, ret.value, function, depth=0):
                    yield _child_report(
                        ctx,
                        ret.value,
                        f"{function.name}() returns",
                        related=(ctx.related(exit_call.site.node, "the exit code used here"),),
                    )
                    continue
                value = facts.constant(ret.value, function)
                if isinstance(value, int) and not isinstance(value, bool) and value not in allowed:
                    yield Report(
                        ctx.range(ret.value),
                        f"{function.name}() returns exit code {value}: {allowed_codes(ctx)}",
                        fixes=_to_one(ctx, ret.value),
                        related=(ctx.related(exit_call.site.node, "the exit code used here"),),
                    )
                elif value is None:
                    yield from _passed_codes(ctx, ret.value, function, exit_call, reported)
        elif code is None and not exit_call.message and exit_call.arg is not None:
            yield from _passed_codes(
                ctx, exit_call.arg, exit_call.site.ctx.function, exit_call, reported
            )


def _passed_codes(
    ctx: RuleContext,
    expr: ast.expr,
    scope: FunctionInfo | None,
    exit_call: ExitCall,
    reported: set[int],
) -> Iterator[Report]:
    """The codes an exit's argument may hold when it is not one literal: a name bound on
    several paths (`code = 0` ... `code = 3`), a choice (`2 if failed else 0`), or the value of
    the script's own helper (`rc = run()`). Each literal the contract does not allow, and each
    child's code handed on unmapped, is reported where it is written."""
    allowed = set(ctx.settings.exit_codes)
    related = (ctx.related(exit_call.site.node, "the exit code used here"),)
    for leaf, leaf_scope in _leaves(ctx, expr, scope, depth=0):
        if id(leaf) in reported:
            continue
        if _child_exit_code(ctx, leaf, leaf_scope, depth=0):
            reported.add(id(leaf))
            yield _child_report(ctx, leaf, "the exit code passed on here is", related=related)
            continue
        value = ctx.facts.constant(leaf, None)
        if isinstance(value, int) and not isinstance(value, bool) and value not in allowed:
            reported.add(id(leaf))
            yield Report(
                ctx.range(leaf),
                f"exit code {value}, passed on to the script's exit: {allowed_codes(ctx)}",
                fixes=_to_one(ctx, leaf),
                related=related,
            )


def _leaves(
    ctx: RuleContext, expr: ast.expr, scope: FunctionInfo | None, depth: int
) -> Iterator[tuple[ast.expr, FunctionInfo | None]]:
    """The expressions `expr` may take its value from, followed through names, `a if c else
    b` and the returns of the script's own functions (a few steps, then unsure: nothing)."""
    if depth > 3:
        return
    if isinstance(expr, ast.IfExp):
        yield from _leaves(ctx, expr.body, scope, depth + 1)
        yield from _leaves(ctx, expr.orelse, scope, depth + 1)
    elif isinstance(expr, ast.Name):
        for value in _plain_values(ctx, expr.id, scope):
            yield from _leaves(ctx, value, scope, depth + 1)
    elif isinstance(expr, ast.Call) and (
        function := ctx.model.local_function(ctx.model.resolve(expr.func))
    ):
        for ret in function.returns:
            if ret.value is not None:
                yield from _leaves(ctx, ret.value, function, depth + 1)
    else:
        yield expr, scope


def _plain_values(ctx: RuleContext, name: str, scope: FunctionInfo | None) -> list[ast.expr]:
    """The values `name = value` binds in `scope` (or at module level when it binds none
    there). A loop's item, a `with` target, `name += n` or a store into `name[...]` is no
    plain value: the name is then unsure, and none are given."""
    local = ctx.facts.scoped_assignments(name, scope)
    values: list[ast.expr] = []
    for assignment in local or ():
        stmt = assignment.stmt
        direct = (isinstance(stmt, ast.Assign) and assignment.node in stmt.targets) or (
            isinstance(stmt, ast.AnnAssign) and assignment.node is stmt.target
        )
        if not direct or assignment.value is None:
            return []
        values.append(assignment.value)
    return values


# Calls whose value is a child process's exit code, as the child chose it.
CHILD_CODE_CALLS = frozenset({"subprocess.call"})
POPEN = frozenset({"subprocess.Popen"})


def _child_exit_code(
    ctx: RuleContext, expr: ast.expr | None, scope: FunctionInfo | None, depth: int
) -> bool:
    """True when `expr` is a child process's exit code passed on unmapped: `r.returncode`,
    `p.wait()` or `p.poll()` of a `Popen`, `subprocess.call(...)`, or a name bound once to
    one of them. A mapped code (`1 if rc else 0`, `min(rc, 1)`) is none of these shapes."""
    if expr is None or depth > 2:
        return False
    if isinstance(expr, ast.Attribute):
        return expr.attr == "returncode"
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, scope)
        return len(values) == 1 and _child_exit_code(ctx, values[0], scope, depth + 1)
    if not isinstance(expr, ast.Call):
        return False
    if ctx.model.resolve(expr.func) in CHILD_CODE_CALLS:
        return True
    func = expr.func
    if not (isinstance(func, ast.Attribute) and func.attr in ("wait", "poll") and not expr.args):
        return False
    process = func.value
    if isinstance(process, ast.Name):
        values = ctx.facts.assigned_values(process.id, scope)
        process = values[0] if len(values) == 1 and values[0] is not None else process
    return isinstance(process, ast.Call) and ctx.model.resolve(process.func) in POPEN


def _child_report(
    ctx: RuleContext,
    arg: ast.expr,
    lead: str,
    related: tuple[RelatedLocation, ...] = (),
) -> Report:
    text = ctx.lines.segment(arg)
    fixes: tuple[Fix, ...] = ()
    if text is not None and "\n" not in text:
        fixes = (
            Fix(
                title="Exit 0 when the child succeeded, 1 otherwise",
                edits=[ctx.edit(arg, f"0 if {text} == 0 else 1")],
                safe=False,
            ),
        )
    return Report(
        ctx.range(arg),
        f"{lead} a child process's exit code, which may be any number: "
        f"{allowed_codes(ctx)}; map it (0 if it is 0, else 1)",
        fixes=fixes,
        related=related,
    )


def _to_one(ctx: RuleContext, arg: ast.expr | None) -> tuple[Fix, ...]:
    if not isinstance(arg, (ast.Constant, ast.UnaryOp)):
        return ()
    return (Fix(title="Exit with 1", edits=[ctx.edit(arg, "1")], safe=False),)


RULE = Rule(META, check)
