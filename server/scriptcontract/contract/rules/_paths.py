"""Finding the literal paths handed to file-access calls (shared by the SCR3xx rules)."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from typing import NamedTuple

from scriptcontract.contract import names as N
from scriptcontract.contract.model import CallSite
from scriptcontract.contract.rules.base import RuleContext

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
        found = literal_prefix(ctx, expr, site, depth=0)
        if found is not None:
            text, node, complete = found
            if "://" not in text:
                yield PathArgument(site, expr, text, node, complete)


def literal_prefix(
    ctx: RuleContext, expr: ast.expr, site: CallSite, depth: int
) -> tuple[str, ast.AST, bool] | None:
    if depth > 3:
        return None
    if isinstance(expr, ast.Constant):
        return (expr.value, expr, True) if isinstance(expr.value, str) else None
    if isinstance(expr, ast.Name):
        values = ctx.facts.assigned_values(expr.id, site.ctx.function)
        if len(values) == 1 and values[0] is not None:
            return literal_prefix(ctx, values[0], site, depth + 1)
        return None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value, expr, len(expr.values) == 1
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Div)):
        left = literal_prefix(ctx, expr.left, site, depth + 1)
        if left is None:
            return None
        text, node, complete = left
        if isinstance(expr.op, ast.Div):
            right = literal_prefix(ctx, expr.right, site, depth + 1)
            if complete and right is not None and right[2]:
                return posixpath.join(text, right[0]), node, True
            return text.rstrip("/") + "/", node, False
        return text, node, False
    if isinstance(expr, ast.Call):
        name = ctx.model.resolve(expr.func)
        if name in N.PATH_JOIN or name in ("pathlib.Path", "pathlib.PurePath"):
            parts = [literal_prefix(ctx, arg, site, depth + 1) for arg in expr.args]
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
