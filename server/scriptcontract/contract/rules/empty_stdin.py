"""SCR103 empty-stdin-not-handled: `json.load(sys.stdin)` fails when no inputs are sent."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Fix, Severity
from scriptcontract.contract.flow import enclosing
from scriptcontract.contract.model import TRY_TYPES, CallSite
from scriptcontract.contract.rules._helpers import (
    handler_fails,
    handler_names,
    is_broad,
    only_raises_again,
    tested,
)
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR103",
    name="empty-stdin-not-handled",
    severity=Severity.WARNING,
    summary="Parsing stdin fails when it is empty; an empty stdin means `{}`.",
    explanation="""
When a script is run without inputs its stdin is empty, and `json.loads("")` raises
`JSONDecodeError`: the script crashes (or reports an error) instead of running with no
inputs. The contract says an empty stdin means `{}`. The rule is silent when the text read
from stdin is tested before parsing (`if raw.strip()`, `raw or "{}"`), when the parse sits
in a `try` that catches `ValueError` or `JSONDecodeError` (unless that handler only raises
again, which still ends in a traceback), and when it sits in a `try` whose
`except Exception:` (or bare `except:`, `except BaseException:`) recovers with a default
(`data = {}`, `return`, `sys.exit(0)`). The `try` may also be around the call: a parse in
a function of the script whose every use is a call so caught (`try: main()` with
`except Exception: pass`) is handled there. A handler that exits non-zero (itself or
through a helper of the script that always does), raises or writes an error object turns
an empty stdin into a failure, and the rule still reports it. Text read with `input()` is
reported too: on an empty stdin `input()` raises `EOFError` before the parse, unless a
`try` around it catches `EOFError` (or recovers from any exception); no automatic fix is
offered, since a default given after `input()` comes too late.
""",
    bad_example="""
import json
import sys

inputs = json.load(sys.stdin)
""",
    good_example="""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
""",
    fix="Test the text before parsing it. The automatic fix rewrites the parse to "
    '`json.loads(sys.stdin.read() or "{}")` or adds `if raw.strip() else {}`.',
    fixable=True,
)

PARSERS = frozenset({"json.load", "json.loads", "ujson.load", "ujson.loads", "orjson.loads"})
DECODE_ERRORS = frozenset(
    {
        "ValueError",
        "json.JSONDecodeError",
        "json.decoder.JSONDecodeError",
        "orjson.JSONDecodeError",
        "simplejson.JSONDecodeError",
    }
)


def check(ctx: RuleContext) -> Iterator[Report]:
    if not ctx.facts.stdin_refs:
        return
    for site in ctx.model.calls_to(*PARSERS):
        if not site.node.args or _catches_decode_error(ctx, site):
            continue
        arg = site.node.args[0]
        if _is_stdin_read(ctx, arg) or ctx.model.resolve(arg) == N.STDIN:
            yield Report(ctx.range(site.node), _MESSAGE, fixes=_direct_fix(ctx, site))
        elif isinstance(arg, ast.Name) and _unguarded_stdin_text(ctx, arg.id, site):
            yield Report(ctx.range(site.node), _MESSAGE, fixes=_guard_fix(ctx, site, arg.id))
        elif _read_by_input(ctx, arg, site):
            # No fix: `or "{}"` comes too late, input() has already raised.
            yield Report(ctx.range(site.node), _INPUT_MESSAGE)


_MESSAGE = "an empty stdin makes this parse fail: treat empty inputs as {}"
_INPUT_MESSAGE = (
    "an empty stdin makes input() raise EOFError before this parse: read it with "
    "sys.stdin.read() and treat empty inputs as {}"
)
EOF_ERRORS = frozenset({"EOFError"})


def _read_by_input(ctx: RuleContext, arg: ast.expr, site: CallSite) -> bool:
    """The parsed text is what `input()` returned (directly, or through a name bound once to
    it), and nothing around that call catches the `EOFError` of an empty stdin."""
    if isinstance(arg, ast.Name):
        values = ctx.facts.assigned_values(arg.id, site.ctx.function)
        if len(values) != 1 or values[0] is None:
            return False
        arg = values[0]
    if not isinstance(arg, ast.Call) or ctx.model.resolve(arg.func) != "input":
        return False
    if "input" in ctx.model.functions:
        return False  # the script's own input(), not the builtin
    read = next((s for s in ctx.model.calls.get("input", ()) if s.node is arg), None)
    return read is not None and not _caught_around(ctx, read, EOF_ERRORS)


def _is_stdin_read(ctx: RuleContext, expr: ast.expr) -> bool:
    """`sys.stdin.read()`, `sys.stdin.readline()`, `sys.stdin.buffer.read()`."""
    if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute):
        return False
    if expr.func.attr not in ("read", "readline"):
        return False
    receiver = ctx.model.resolve(expr.func.value)
    return receiver in (N.STDIN, N.STDIN + ".buffer")


def _catches_decode_error(ctx: RuleContext, site: CallSite, depth: int = 0) -> bool:
    if _caught_around(ctx, site):
        return True
    # `def main(): payload = json.load(sys.stdin)` run as `try: main()` with
    # `except Exception: pass`: the caller's handler catches what the parse raises. It
    # counts when every use of the function is a call caught that way.
    function = site.ctx.function
    if function is None or function.is_method or depth >= 3:
        return False
    if ctx.model.local_function(function.name) is not function:
        return False
    callers = ctx.model.calls.get(function.name, [])
    if not callers or _mentions_count(ctx, function.name) != len(callers):
        return False
    return all(_catches_decode_error(ctx, caller, depth + 1) for caller in callers)


def _mentions_count(ctx: RuleContext, name: str) -> int:
    """How often `name` is read in the file (a call, a callback, an entry in a table)."""
    return sum(
        1
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    )


def _caught_around(
    ctx: RuleContext, site: CallSite, errors: frozenset[str] = DECODE_ERRORS
) -> bool:
    for owner in enclosing(ctx.model, site.stmt):
        if isinstance(owner, TRY_TYPES) and _in_body(ctx, site.stmt, owner):
            for handler in owner.handlers:  # type: ignore[attr-defined]
                caught = handler_names(ctx.model, handler)
                if caught is not None and any(c in errors for c in caught):
                    if only_raises_again(ctx, handler):
                        continue  # `raise ValueError(...) from e`: still a traceback
                    return True
                # `except Exception: data = {}`: a broad handler that recovers handles an
                # empty stdin as surely as one naming JSONDecodeError.
                if is_broad(ctx.model, handler) and not handler_fails(ctx, handler):
                    return True
    return False


def _in_body(ctx: RuleContext, stmt: ast.stmt, owner: ast.stmt) -> bool:
    current = stmt
    parent = ctx.model.parent_of(current)
    while parent is not None and parent.stmt is not None:
        if parent.stmt is owner:
            return parent.block is owner.body  # type: ignore[attr-defined]
        parent = ctx.model.parent_of(parent.stmt)
    return False


def _unguarded_stdin_text(ctx: RuleContext, name: str, site: CallSite) -> bool:
    scope = site.ctx.function
    values = ctx.facts.assigned_values(name, scope)
    if len(values) != 1 or values[0] is None or not _is_stdin_read(ctx, values[0]):
        return False
    return not tested(ctx, name, scope)


def _direct_fix(ctx: RuleContext, site: CallSite) -> tuple[Fix, ...]:
    call = site.node
    func, arg = call.func, call.args[0]
    if not isinstance(func, ast.Attribute) or len(call.args) != 1 or call.keywords:
        return ()
    receiver = ctx.lines.segment(func.value)
    arg_text = ctx.lines.segment(arg)
    if receiver is None or arg_text is None:
        return ()
    if func.attr == "load":
        new = f'{receiver}.loads({arg_text}.read() or "{{}}")'
        return (Fix(title="Treat an empty stdin as {}", edits=[ctx.edit(call, new)]),)
    return (
        Fix(title="Treat an empty stdin as {}", edits=[ctx.edit(arg, f'{arg_text} or "{{}}"')]),
    )


def _guard_fix(ctx: RuleContext, site: CallSite, name: str) -> tuple[Fix, ...]:
    text = ctx.lines.segment(site.node)
    if text is None or "\n" in text:
        return ()
    whole_value = isinstance(site.stmt, ast.Assign) and site.stmt.value is site.node
    new = f"{text} if {name}.strip() else {{}}"
    if not whole_value:
        new = f"({new})"
    return (Fix(title="Treat an empty stdin as {}", edits=[ctx.edit(site.node, new)]),)


RULE = Rule(META, check)
