"""Small pieces several checks share: arguments, handlers, and edits that add code safely."""

from __future__ import annotations

import ast

from scriptcontract.contract.facts import ExitCall
from scriptcontract.contract.finding import TextEdit
from scriptcontract.contract.flow import terminates, walk_statements
from scriptcontract.contract.model import FunctionInfo, ScriptModel
from scriptcontract.contract.rules.base import RuleContext

BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception"})
EXIT_CATCHING = frozenset({"BaseException", "SystemExit", "builtins.BaseException"})
# Not errors: Ctrl-C, an exit, a generator closed. A handler of these alone (an i3bar
# wrapper's `except KeyboardInterrupt: sys.exit()`) catches no failure of the work, and
# no run ends through it: the executor stops a run with SIGKILL, never Ctrl-C.
NOT_ERRORS = frozenset({"KeyboardInterrupt", "SystemExit", "GeneratorExit"})


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    if position is not None and len(call.args) > position:
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords) or any(
        isinstance(arg, ast.Starred) for arg in call.args
    )


def handler_names(model: ScriptModel, handler: ast.ExceptHandler) -> list[str] | None:
    """The exception names a handler catches; None for a bare `except:`."""
    if handler.type is None:
        return None
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [model.resolve(t) or "?" for t in types]


def catches_only_interrupts(model: ScriptModel, handler: ast.ExceptHandler) -> bool:
    caught = handler_names(model, handler)
    return caught is not None and set(caught) <= NOT_ERRORS


def is_broad(model: ScriptModel, handler: ast.ExceptHandler) -> bool:
    caught = handler_names(model, handler)
    return caught is None or any(name in BROAD_EXCEPTIONS for name in caught)


def reraises(handler: ast.ExceptHandler) -> bool:
    return any(isinstance(node, ast.Raise) for node in ast.walk(handler))


def only_raises_again(ctx: RuleContext, handler: ast.ExceptHandler) -> bool:
    """A handler that only raises again (another exception, or the same): what it caught
    still ends the run with a traceback. One that writes, exits or recovers first handles
    it its own way."""
    last = handler.body[-1]
    if not isinstance(last, ast.Raise):
        return False
    return not any(ctx.facts.statement_touches_streams(stmt) for stmt in handler.body)


def tested(ctx: RuleContext, name: str, scope: FunctionInfo | None) -> bool:
    """True when `name` appears in a condition, an `or`, or a comparison in its scope."""
    body = scope.node.body if scope is not None else ctx.tree.body
    for stmt in walk_statements(body):
        for node in _own_expressions(stmt):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.IfExp, ast.If, ast.While, ast.Assert)):
                    if _mentions(sub.test, name):
                        return True
                elif (
                    isinstance(sub, (ast.BoolOp, ast.Compare))
                    or (isinstance(sub, ast.UnaryOp) and isinstance(sub.op, ast.Not))
                ) and _mentions(sub, name):
                    return True
        if isinstance(stmt, (ast.If, ast.While, ast.Assert)) and _mentions(stmt.test, name):
            return True
    return False


def _own_expressions(stmt: ast.stmt) -> list[ast.AST]:
    return [
        value
        for field, value in ast.iter_fields(stmt)
        if field not in ("body", "orelse", "finalbody", "handlers", "cases")
        and isinstance(value, ast.expr)
    ]


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def path_fails_after(ctx: RuleContext, stmt: ast.stmt, handler: ast.ExceptHandler) -> bool:
    """True when the path through `stmt` goes on to fail inside `handler`: it raises or
    exits non-zero before it returns, exits 0 or leaves the handler."""
    exits = ctx.facts.exits_in(stmt) if type(stmt) is ast.Expr else []
    if exits:
        return exits[0].message or exits[0].code not in (0, None)
    current = stmt
    while True:
        parent = ctx.model.parent_of(current)
        if parent is None:
            return False
        block = parent.block
        for index in range(parent.position + 1, len(block)):
            later = block[index]
            if isinstance(later, ast.Raise):
                return True
            if isinstance(later, ast.Return):
                value = later.value.value if isinstance(later.value, ast.Constant) else None
                return isinstance(value, int) and not isinstance(value, bool) and value != 0
            exits = ctx.facts.exits_in(later) if type(later) is ast.Expr else []
            if exits:
                return exits[0].message or exits[0].code not in (0, None)
            if terminates(later, ctx.facts.ends_path, loop=False):
                return False
        if block is handler.body or parent.stmt is None:
            return False  # the handler ends here and the run goes on
        if isinstance(parent.stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        current = parent.stmt


def handler_fails(ctx: RuleContext, handler: ast.ExceptHandler) -> bool:
    """True when the handler ends the run as a failure: it raises, exits non-zero, returns
    a non-zero code, or writes an error object. A handler that falls back to a default
    (`data = {}`, `return`, `sys.exit(0)`, a default answer) recovers instead."""
    from scriptcontract.contract.rules.error_shape import error_dict, payload_dict

    for stmt in walk_statements(handler.body):
        if isinstance(stmt, ast.Raise):
            return True
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Constant):
            value = stmt.value.value
            if isinstance(value, int) and not isinstance(value, bool) and value != 0:
                return True
    for exit_call in ctx.facts.exits_in(handler):
        if _fails(exit_call):
            return True
    # `except Exception as ex: error(str(ex))`, a helper of the script that always exits
    # non-zero: the handler fails as surely as one calling sys.exit(1) itself.
    for stmt in walk_statements(handler.body):
        for site in ctx.facts.calls_in(stmt):
            local = ctx.model.local_function(site.name)
            if local is None:
                continue
            summary = ctx.facts.summary(local)
            if summary.always_exits and any(_fails(e) for e in summary.exit_calls):
                return True
    for write in ctx.facts.writes_in(handler):
        payload = payload_dict(ctx, write)
        if payload is not None and error_dict(ctx, payload, in_handler=False):
            return True
    return False


def _fails(exit_call: ExitCall) -> bool:
    return exit_call.message or (exit_call.code is not None and exit_call.code != 0)


def module_alias(model: ScriptModel, module: str) -> str | None:
    """The local name under which `module` itself is imported, if it is."""
    for local, qualified in model.aliases.items():
        if qualified == module:
            return local
    return None


def name_for(ctx: RuleContext, qualified: str) -> tuple[str, list[TextEdit]]:
    """How to spell `qualified` (e.g. "sys.stderr") here, with any import that must be added."""
    module, _, attr = qualified.rpartition(".")
    for local, target in ctx.model.aliases.items():
        if target == qualified:
            return local, []
    alias = module_alias(ctx.model, module)
    if alias is not None:
        return f"{alias}.{attr}", []
    if module in ctx.model.functions or module in ctx.model.assignments:
        return "", []  # the module's name is taken by something else: no safe edit
    return qualified, [import_edit(ctx, module)]


def import_edit(ctx: RuleContext, module: str) -> TextEdit:
    """Insert `import module` before the first top-level import (after `__future__` ones),
    or after the module docstring."""
    body = ctx.tree.body
    line = 1
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        line = (body[0].end_lineno or body[0].lineno) + 1
        index = 1
    for stmt in body[index:]:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            line = (stmt.end_lineno or stmt.lineno) + 1
            continue
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            line = stmt.lineno
        break
    if line == 1:
        # Keep a shebang and encoding comment first.
        lines = ctx.lines.lines
        while line <= len(lines) and lines[line - 1].startswith("#"):
            line += 1
    return ctx.insert(line, 0, f"import {module}\n")


def literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
