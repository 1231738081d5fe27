"""Finding the literal paths handed to file-access calls (shared by the SCR3xx rules)."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from typing import NamedTuple

from scriptcontract.contract import names as N
from scriptcontract.contract.model import CallSite, FunctionInfo
from scriptcontract.contract.rules.base import RuleContext

ENV_LOOKUPS = frozenset({"os.environ.get", "os.getenv"})
HARMLESS = frozenset({"/dev/null", "/dev/stdin", "/dev/stdout", "/dev/stderr"})
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


class PathArgument(NamedTuple):
    site: CallSite
    expr: ast.expr  # the argument as written
    text: str  # its literal text, or the literal start of it
    node: ast.AST  # where that literal is written
    complete: bool  # False when only a prefix is literal


def path_arguments(ctx: RuleContext) -> Iterator[tuple[CallSite, ast.expr]]:
    """(call, path argument) for every file-access call of the script."""
    model = ctx.model
    for name, positions in N.FILE_ACCESS.items():
        if name in model.functions:
            continue
        for site in model.calls.get(name, ()):
            call = site.node
            for position in positions:
                if position < len(call.args) and not isinstance(call.args[position], ast.Starred):
                    yield site, call.args[position]
            for keyword in call.keywords:
                if keyword.arg in N.FILE_ACCESS_KEYWORDS:
                    yield site, keyword.value


def literal_paths(ctx: RuleContext) -> Iterator[PathArgument]:
    for site, expr in path_arguments(ctx):
        found = literal_prefix(ctx, expr, site.ctx.function, depth=0)
        if found is not None:
            text, node, complete = found
            if "://" not in text:
                yield PathArgument(site, expr, text, node, complete)


def literal_prefix(
    ctx: RuleContext, expr: ast.expr, scope: FunctionInfo | None, depth: int
) -> tuple[str, ast.AST, bool] | None:
    """The literal text `expr` starts with (in `scope`), where it is written, and whether
    it is the whole of it; followed through names, joins and a parameter of a function the
    script calls once."""
    if depth > 3:
        return None
    if isinstance(expr, ast.Constant):
        return (expr.value, expr, True) if isinstance(expr.value, str) else None
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, scope)
        if len(values) == 1 and values[0] is not None:
            return literal_prefix(ctx, values[0], scope, depth + 1)
        if values == [None] and scope is not None and expr.id in scope.params:
            argument = _only_argument(ctx, scope, expr.id)
            if argument is not None:
                return literal_prefix(ctx, argument[0], argument[1], depth + 1)
        return None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value, expr, len(expr.values) == 1
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Div)):
        left = literal_prefix(ctx, expr.left, scope, depth + 1)
        if left is None:
            return None
        text, node, complete = left
        if isinstance(expr.op, ast.Div):
            right = literal_prefix(ctx, expr.right, scope, depth + 1)
            if complete and right is not None and right[2]:
                return posixpath.join(text, right[0]), node, True
            return text.rstrip("/") + "/", node, False
        return text, node, False
    if isinstance(expr, ast.Call):
        name = ctx.model.resolve(expr.func)
        default = env_default(ctx, expr)
        if default is not None:
            # The environment may not set it (a run's is the sandbox's): the default is used.
            return literal_prefix(ctx, default, scope, depth + 1)
        if name in N.PATH_JOIN or name in ("pathlib.Path", "pathlib.PurePath"):
            parts = [literal_prefix(ctx, arg, scope, depth + 1) for arg in expr.args]
            if not parts or parts[0] is None:
                return None
            texts: list[str] = []
            for part in parts:
                if part is None or not part[2]:
                    if part is not None:
                        texts.append(part[0])
                    joined = posixpath.join(*texts) if texts else ""
                    return joined.rstrip("/") + "/", parts[0][1], False
                texts.append(part[0])
            return posixpath.join(*texts), parts[0][1], True
    return None


def env_default(ctx: RuleContext, call: ast.Call) -> ast.expr | None:
    """The default of `os.environ.get("X", default)` / `os.getenv("X", default)`."""
    if ctx.model.resolve(call.func) not in ENV_LOOKUPS:
        return None
    if len(call.args) >= 2:
        return call.args[1]
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return None


def _only_argument(
    ctx: RuleContext, function: FunctionInfo, param: str
) -> tuple[ast.expr, FunctionInfo | None] | None:
    """What the one call of a plain function passes for `param` (and where that call is):
    `check(f"/data/{name}.out")` reaching `open(path)` inside `check`. A function called
    more than once, a method, or a parameter left to its default is not followed."""
    if function.is_method or param in (a.arg for a in function.node.args.posonlyargs):
        return None
    sites = ctx.model.calls.get(function.name, ())
    if len(sites) != 1 or ctx.model.local_function(function.name) is not function:
        return None
    call = sites[0].node
    position = function.params.index(param)
    if any(isinstance(arg, ast.Starred) for arg in call.args[: position + 1]):
        return None
    if position < len(call.args):
        return call.args[position], sites[0].ctx.function
    for keyword in call.keywords:
        if keyword.arg == param:
            return keyword.value, sites[0].ctx.function
    return None


def is_outside_absolute(text: str) -> bool:
    if text in HARMLESS or text.startswith("/dev/fd/"):
        return False
    return text.startswith(("/", "~", "\\\\")) or bool(WINDOWS_DRIVE.match(text))


def escapes_root(text: str, complete: bool) -> bool:
    path = text.replace("\\", "/")
    if path.startswith("/") or not path:
        return False
    if not complete:
        # Only the literal start is known: judge the segments that are whole.
        whole = path.rsplit("/", 1)[0] if "/" in path else ""
        if not whole:
            return False
        path = whole
    normal = posixpath.normpath(path)
    return normal == ".." or normal.startswith("../")
