"""SCR203 error-exits-zero: an error path ends with exit code 0, so the caller sees success."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.facts import ExitCall, Write
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.flow import block_terminates
from scriptcontract.contract.model import FUNCTION_TYPES, TRY_TYPES, FunctionInfo, Site
from scriptcontract.contract.rules._helpers import is_broad, tested
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.error_shape import (
    ERROR_STATUSES,
    FAILURE_FLAGS,
    error_dict,
    payload_dict,
)
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
after printing the error object. A result bound to one name on both paths
(`result = {"success": True, ...}`, and on an error branch `result = {"success": False,
...}`) then written once is followed too: the error branch reaches the write, and the
script ends with exit code 0 after it. So is an error object written directly on a branch
(`if not text: print(json.dumps({"success": False, "error": "no text"}))`) or in the handler
of a named exception (`except KeyError:`) when the script then ends, or its function returns
with a bare `return` as the script's last act. Two helpers are followed: `return fail("...")`
in the function whose result is the exit code (`raise SystemExit(main())`), where `fail()`
writes an error object and returns 0 or nothing, is reported at that return; and a helper
whose result the script writes as its last act with exit code 0
(`print(json.dumps(run(inputs)))`, also through a name, and also followed by `return 0` of
the function whose result is the exit code, and not tested before: `if "error" in result:`
may answer it with exit code 1 first) is reported at each `return {"error": "..."}` it holds.

A success flag computed from the run (`{"success": len(errors) == 0, ...}`, then exit code 0
always) is not reported: the same write serves the runs that succeed and those that fail, no
path of the script is an error path the rule can point at, and a batch that reports its
failed items while the run itself succeeds looks the same. Tie the exit code to the flag
(`sys.exit(0 if not errors else 1)`) when a failed item fails the run.
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
    for exit_call in [*facts.exit_calls, *facts.return_exits]:
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
    yield from _error_branches(ctx)
    yield from _error_written_on_branch(ctx)
    yield from _helper_code_after_error(ctx)
    yield from _error_returned_then_written(ctx)


def _helper_code_after_error(ctx: RuleContext) -> Iterator[Report]:
    """`return fail("...")` in the function whose result is the exit code, where `fail()`
    writes an error object and returns 0 (or nothing): the exit code is 0 after an error."""
    for exit_call in ctx.facts.return_exits:
        arg = exit_call.arg
        if exit_call.code is not None or not isinstance(arg, ast.Call):
            continue
        helper = ctx.model.local_function(ctx.model.resolve(arg.func))
        if helper is None or helper is exit_call.site.ctx.function:
            continue
        write = _error_written_then_zero(ctx, helper)
        if write is None:
            continue
        yield Report(
            ctx.range(exit_call.site.node),
            f"{helper.name}() writes an error object and returns 0 (or nothing), and this "
            "return makes that the exit code: the failed run is reported as a success; "
            "return 1",
            related=(ctx.related(write.site.node, "the error object written here"),),
        )


def _error_written_then_zero(ctx: RuleContext, helper: FunctionInfo) -> Write | None:
    """The error object `helper` always writes (a statement of its own body), when it never
    exits and every value it returns is 0 or None."""
    summary = ctx.facts.summary(helper)
    if summary.exit_calls or summary.always_exits:
        return None
    for site in helper.return_sites:
        value = site.node.value  # type: ignore[attr-defined]
        if value is not None and not (isinstance(value, ast.Constant) and value.value in (0, None)):
            return None
    body = helper.node.body
    for write in summary.json_writes:
        if write.helper is not None or not any(write.site.stmt is stmt for stmt in body):
            continue
        payload = payload_dict(ctx, write)
        if payload is not None and error_dict(ctx, payload, in_handler=False):
            return write
    return None


def _error_returned_then_written(ctx: RuleContext) -> Iterator[Report]:
    """`print(json.dumps(run(inputs)))` (or `result = run(inputs)`, then its write) as the
    script's last act, with exit code 0, where `run()` returns `{"error": "..."}` on some
    paths: each such return is an error object the script reports as a success."""
    for write in ctx.facts.json_writes:
        call = _returned_payload(ctx, write)
        if call is None:
            continue
        helper = ctx.model.local_function(ctx.model.resolve(call.func))
        if helper is None or helper.is_method:
            continue
        errors = [
            site
            for site in helper.return_sites
            if isinstance(site.node.value, ast.Dict)  # type: ignore[attr-defined]
            and _says_failure(site.node.value)  # type: ignore[attr-defined]
        ]
        if not errors or not (
            _script_ends_after(ctx, write.site.stmt, depth=0)
            or _returns_exit_zero_next(ctx, write.site.stmt)
        ):
            continue
        for site in errors:
            yield Report(
                ctx.lines.first_line_of(site.stmt),
                f"this error object is what {helper.name}() returns to the write below, "
                "and the script then ends with exit code 0, so the failed run is reported "
                "as a success: exit 1 when it holds an error",
                related=(ctx.related(write.site.node, "the error object written here"),),
            )


def _returns_exit_zero_next(ctx: RuleContext, stmt: ast.stmt) -> bool:
    """The statement after `stmt` is `return 0` of the function whose result is the exit code
    (`raise SystemExit(main())`)."""
    parent = ctx.model.parent_of(stmt)
    if parent is None or parent.position + 1 >= len(parent.block):
        return False
    following = parent.block[parent.position + 1]
    return any(
        exit_call.site.stmt is following and exit_call.code == 0 and not exit_call.message
        for exit_call in ctx.facts.return_exits
    )


def _returned_payload(ctx: RuleContext, write: Write) -> ast.Call | None:
    """The call of the script's own function whose result the write serialises: directly,
    or through a name bound once to it."""
    if write.helper is not None:
        return None
    payload = write.payload
    if isinstance(payload, ast.Call) and ctx.model.resolve(payload.func) in N.JSON_DUMPS:
        payload = payload.args[0] if payload.args else None
    if isinstance(payload, ast.Name):
        scope = write.site.ctx.function
        if tested(ctx, payload.id, scope):
            return None  # `if "error" in result: ... sys.exit(1)` may come first
        values = ctx.facts.assigned_values(payload.id, scope)
        payload = values[0] if len(values) == 1 else None
    return payload if isinstance(payload, ast.Call) else None


def _error_written_on_branch(ctx: RuleContext) -> Iterator[Report]:
    """`if not text: print(json.dumps({"success": False, "error": ...}))` (then `return`, or
    nothing more) on a branch, or in the handler of a named exception, after which the script
    ends with exit code 0. Broad handlers are `_falls_off`'s; an explicit `sys.exit(0)` or
    `return 0` after the write is `_after_error_object`'s."""
    for write in ctx.facts.json_writes:
        handler = write.site.ctx.handler
        if handler is not None and is_broad(ctx.model, handler):
            continue
        if _payload_name(ctx, write) is not None:
            continue
        payload = payload_dict(ctx, write)
        if payload is None or not _says_failure(payload):
            continue
        if handler is None and not _on_branch(ctx, write.site.stmt):
            continue
        if not _ends_with_exit_zero(ctx, write.site.stmt) or _reported_at_exit(ctx, write):
            continue
        yield Report(
            ctx.range(write.site.node),
            "after this error object the script ends with exit code 0, so the failed run is "
            "reported as a success: add sys.exit(1)",
        )


def _says_failure(node: ast.Dict) -> bool:
    """The object says that the run failed: a false success flag, an error message that is
    text (a literal, an f-string, `str(exc)`) or an error status. A name or an expression that
    may be None is no message, a list of `errors` (possibly empty) is not enough, and a true
    success flag says the opposite."""
    failed = False
    for key, value in zip(node.keys, node.values, strict=False):
        if not isinstance(key, ast.Constant):
            continue
        constant = value.value if isinstance(value, ast.Constant) else None
        if key.value in FAILURE_FLAGS:
            if constant is True:
                return False
            failed = failed or constant is False
        elif key.value in ("error", "error_message"):
            failed = failed or _is_text(value)
        elif key.value == "status" and str(constant).lower() in ERROR_STATUSES:
            failed = True
    return failed


def _is_text(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str) and bool(value.value)
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in ("str", "repr")
    # "failed: " + reason, "failed: %s" % reason
    return isinstance(value, ast.BinOp) and any(
        isinstance(side, ast.JoinedStr)
        or (isinstance(side, ast.Constant) and isinstance(side.value, str))
        for side in (value.left, value.right)
    )


def _on_branch(ctx: RuleContext, stmt: ast.stmt) -> bool:
    """`stmt` sits in an `if` or a `match` case of its function (or of the module)."""
    parent = ctx.model.parent_of(stmt)
    while parent is not None and parent.stmt is not None:
        owner = parent.stmt
        if isinstance(owner, (ast.If, ast.Match)):
            return True
        if isinstance(owner, FUNCTION_TYPES):
            return False
        parent = ctx.model.parent_of(owner)
    return False


def _ends_with_exit_zero(ctx: RuleContext, stmt: ast.stmt) -> bool:
    """After `stmt` its block holds nothing, or only a bare `return` whose function's calls
    end the script; and from there the script ends with exit code 0."""
    parent = ctx.model.parent_of(stmt)
    if parent is None:
        return False
    rest = [s for s in parent.block[parent.position + 1 :] if not isinstance(s, ast.Pass)]
    if not rest:
        return _script_ends_after(ctx, stmt, depth=0)
    last = rest[0]
    bare = isinstance(last, ast.Return) and (
        last.value is None or (isinstance(last.value, ast.Constant) and last.value.value is None)
    )
    if not bare:
        return False
    function = ctx.facts.function_of(stmt)
    return function is not None and _calls_end_script(ctx, function, depth=0)


def _reported_at_exit(ctx: RuleContext, write: Write) -> bool:
    """The end `_script_ends_after` found is an explicit `sys.exit(0)` whose last write before
    it is this one: `_after_error_object` reports it there, at the exit."""
    parent = ctx.model.parent_of(write.site.stmt)
    if parent is None or not ctx.facts.only_declarations_after(parent.block, parent.position):
        return False  # `return` right after the write: no exit call to report
    while parent is not None:
        block, position = parent.block, parent.position
        if not ctx.facts.only_declarations_after(block, position):
            last = ctx.facts.last_json_write_before(block[position + 1])
            return last is not None and last.site.node is write.site.node
        owner = parent.stmt
        if owner is None or isinstance(owner, FUNCTION_TYPES):
            return False
        parent = ctx.model.parent_of(owner)
    return False


def _error_branches(ctx: RuleContext) -> Iterator[Report]:
    """`result = {...}` and, on a branch outside any handler, `result = {"success": False,
    ...}`, then one write of `result` after which the script ends with exit code 0.
    (Assignments in a broad handler are `_falls_off`'s and `_after_error_object`'s.)"""
    model = ctx.model
    for write in ctx.facts.json_writes:
        name = _payload_name(ctx, write)
        if name is None:
            continue
        scope = write.site.ctx.function
        assignments = [a for a in model.assignments.get(name, ()) if a.ctx.function is scope]
        if len(assignments) < 2:
            continue
        errors = [
            a
            for a in assignments
            if a.ctx.handler is None
            and isinstance(a.value, ast.Dict)
            and a.stmt.lineno < write.site.stmt.lineno
            and error_dict(ctx, a.value, in_handler=False)
            and _reaches(ctx, a.stmt, write.site.stmt)
        ]
        if not errors or not _script_ends_after(ctx, write.site.stmt, depth=0):
            continue
        for assignment in errors:
            yield Report(
                ctx.lines.first_line_of(assignment.stmt),
                "this error object is written later and the script then ends with exit "
                "code 0, so the failed run is reported as a success: exit 1 on this path",
                related=(ctx.related(write.site.node, "the error object written here"),),
            )


def _reaches(ctx: RuleContext, stmt: ast.stmt, target: ast.stmt) -> bool:
    """Whether the flow goes on from `stmt` to the block holding `target` (no `return`,
    `raise`, exit or `continue` on the way out)."""
    parent = ctx.model.parent_of(stmt)
    while parent is not None:
        block, position = parent.block, parent.position
        if any(item is target for item in block):
            return True
        if block_terminates(block[position + 1 :], ctx.facts.ends_path, loop=True):
            return False
        owner = parent.stmt
        if owner is None or isinstance(owner, (*FUNCTION_TYPES, ast.For, ast.AsyncFor, ast.While)):
            return False
        parent = ctx.model.parent_of(owner)
    return False


def _after_error_object(ctx: RuleContext, exit_call: ExitCall) -> bool:
    write = ctx.facts.last_json_write_before(exit_call.site.stmt)
    if write is None:
        return False
    payload = payload_dict(ctx, write)
    if payload is not None:
        return error_dict(ctx, payload, in_handler=False)
    # `response = {...}` in the try, `response = {"ok": False, ...}` in a broad handler,
    # then one write of `response`: on the error path it is the error object.
    name = _payload_name(ctx, write)
    if name is None:
        return False
    for assignment in ctx.model.assignments.get(name, ()):
        handler = assignment.ctx.handler
        value = assignment.value
        if (
            assignment.ctx.function is write.site.ctx.function
            and handler is not None
            and is_broad(ctx.model, handler)
            and isinstance(value, ast.Dict)
            and error_dict(ctx, value, in_handler=False)
        ):
            return True
    return False


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
        end = site.stmt
        if not writes:
            writes = _error_written_later(ctx, site, handler)
            if writes and writes[-1].site.stmt.lineno > (site.stmt.end_lineno or 0):
                end = writes[-1].site.stmt  # written after the try: the script ends there
        if not writes:
            continue
        if site.ctx.loop is not None:
            # `except ...: print(error); break` leaves the loop, and the script may end there.
            if not (handler.body and isinstance(handler.body[-1], ast.Break)):
                continue
            end = site.ctx.loop
        if not _script_ends_after(ctx, end, depth=0):
            continue
        yield Report(
            ctx.lines.first_line_of(handler),
            "after this error the script ends normally, with exit code 0: add sys.exit(1)",
            related=(ctx.related(writes[0].site.node, "the error object written here"),),
        )


def _error_written_later(ctx: RuleContext, site: Site, handler: ast.ExceptHandler) -> list[Write]:
    """`except Exception as exc: result = {"success": False, ...}`, with `result` written in
    the `finally` block or after the `try`."""
    names = {
        target.id
        for stmt in handler.body
        if isinstance(stmt, ast.Assign)
        and isinstance(stmt.value, ast.Dict)
        and error_dict(ctx, stmt.value, in_handler=False)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    }
    if not names:
        return []
    scope = site.ctx.function
    after = (handler.end_lineno or handler.lineno, handler.end_col_offset or 0)
    return [
        write
        for write in ctx.facts.json_writes
        if write.site.ctx.function is scope
        and (write.site.node.lineno, write.site.node.col_offset) > after
        and _payload_name(ctx, write) in names
    ]


def _payload_name(ctx: RuleContext, write: Write) -> str | None:
    payload = write.payload
    if isinstance(payload, ast.Call) and ctx.model.resolve(payload.func) in N.JSON_DUMPS:
        payload = payload.args[0] if payload.args else None
    return payload.id if isinstance(payload, ast.Name) else None


def _script_ends_after(ctx: RuleContext, stmt: ast.stmt, depth: int) -> bool:
    """True when nothing that could exit or write runs after `stmt` until the script ends
    (with exit code 0: `sys.exit(0)` right after counts as the end)."""
    parent = ctx.model.parent_of(stmt)
    while parent is not None:
        block, position = parent.block, parent.position
        if not ctx.facts.only_declarations_after(block, position):
            return (
                position + 1 < len(block)
                and _exits_zero(ctx, block[position + 1])
                and ctx.facts.only_declarations_after(block, position + 1)
            )
        owner = parent.stmt
        if owner is None:
            return True
        if isinstance(owner, (ast.For, ast.AsyncFor, ast.While, *TRY_TYPES)):
            return False
        if isinstance(owner, FUNCTION_TYPES):
            return depth < 2 and _calls_end_script(ctx, owner, depth)
        parent = ctx.model.parent_of(owner)
    return False


def _exits_zero(ctx: RuleContext, stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.Expr):
        return False
    exits = ctx.facts.exits_in(stmt)
    return len(exits) == 1 and exits[0].code == 0 and not exits[0].message


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
