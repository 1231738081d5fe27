"""SCR205 error-object-shape: an error object lacks the keys callers look for."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.facts import Write
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._helpers import is_broad, path_fails_after
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR205",
    name="error-object-shape",
    severity=Severity.WARNING,
    summary="An error object written to stdout lacks the expected keys (`success`, `error`).",
    explanation="""
Callers tell a failed run from a good one by the keys of the JSON object: by default
`{"success": false, "error": "..."}`, like the executor's own results. An error object
written in an `except Exception:` (or bare `except:`) block, or one with `"success": false`
or an `"error"` key, must carry every key of the `error-keys` setting. What a handler for a
named exception writes (`except NotFound: print(json.dumps({"exists": False}))`) is taken
for an answer, not an error, unless it says it is one or the handler then exits non-zero or
raises. So is an object of flags and numbers only that says nothing of the failure, such as
a hook's fail-open `{"continue": true}` (SCR203 still reports the exit code 0). Projects
that use another shape set `error-keys = ["ok", "message"]` (or similar) in their
configuration.
""",
    bad_example="""
import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
except ValueError as exc:
    print(json.dumps({"message": str(exc)}))
    sys.exit(1)
""",
    good_example="""
import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
except ValueError as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
""",
    fix="Add the missing keys (see the `error-keys` setting).",
)

FAILURE_FLAGS = frozenset({"success", "ok", "succeeded"})
ERROR_KEYS = frozenset({"error", "errors", "error_message"})
ERROR_STATUSES = frozenset({"error", "failed", "failure", "fail"})


def check(ctx: RuleContext) -> Iterator[Report]:
    wanted = ctx.settings.error_keys
    if not wanted:
        return
    for write in ctx.facts.json_writes:
        payload = payload_dict(ctx, write)
        if payload is None:
            continue
        # A handler for a named exception is often an expected outcome with its own
        # answer (`except NotFound: print(json.dumps({"exists": False}))`); what it writes
        # is an error object when it says so or when its path goes on to fail.
        if not error_dict(ctx, payload, in_handler=False):
            handler = write.site.ctx.handler
            if handler is None or not (
                is_broad(ctx.model, handler) or path_fails_after(ctx, write.site.stmt, handler)
            ):
                continue
            if not error_dict(ctx, payload, in_handler=True):
                continue
        keys = _keys(payload)
        if keys is None:
            continue
        missing = [key for key in wanted if key not in keys]
        if missing:
            listed = ", ".join(f'"{key}"' for key in missing)
            yield Report(
                ctx.range(payload),
                f"this error object has no {listed} key: callers expect "
                + ", ".join(f'"{key}"' for key in wanted),
            )


def payload_dict(ctx: RuleContext, write: Write) -> ast.Dict | None:
    """The dict literal a JSON write serialises, when it is plain to see."""
    if write.helper is not None:
        return None
    call = write.site.node
    expr: ast.expr | None
    if write.site.name in N.JSON_DUMP_TO_STREAM:
        expr = call.args[0] if call.args else None
    else:
        expr = call.args[0] if call.args else None
        if isinstance(expr, ast.Call) and ctx.model.resolve(expr.func) in N.JSON_DUMPS:
            expr = expr.args[0] if expr.args else None
        else:
            return None
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, write.site.ctx.function)
        expr = values[0] if len(values) == 1 else None
    return expr if isinstance(expr, ast.Dict) else None


def _keys(node: ast.Dict) -> set[str] | None:
    keys: set[str] = set()
    for key in node.keys:
        if key is None or not isinstance(key, ast.Constant) or not isinstance(key.value, str):
            return None  # **spread or computed keys: not plain to see
        keys.add(key.value)
    return keys


def error_dict(ctx: RuleContext, node: ast.Dict, *, in_handler: bool) -> bool:
    """True when the object reports an error (or is written by an error handler)."""
    explicit_success = False
    for key, value in zip(node.keys, node.values, strict=False):
        if not isinstance(key, ast.Constant) or not isinstance(value, ast.AST):
            continue
        constant = value.value if isinstance(value, ast.Constant) else None
        if key.value in FAILURE_FLAGS:
            if constant is False:
                return True
            if constant is True:
                explicit_success = True
        elif key.value in ERROR_KEYS:
            if constant is not None or not isinstance(value, ast.Constant):
                return True
        elif key.value == "status" and str(constant).lower() in ERROR_STATUSES:
            return True
    return in_handler and not explicit_success and not _plain_answer(node)


def _plain_answer(node: ast.Dict) -> bool:
    """`{"continue": True}`, `{}`: a hook's fail-open answer, written by a broad handler so
    that the host goes on. Only flags and numbers, nothing about the failure: an answer,
    not an error object with the wrong keys (`{"message": str(exc)}` is one)."""
    return all(
        isinstance(value, ast.Constant)
        and (value.value is None or isinstance(value.value, (bool, int, float)))
        for value in node.values
    )


RULE = Rule(META, check)
