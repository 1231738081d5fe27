"""Which expressions are stdout: `sys.stdout`, its buffer, a name bound to them, a wrapper.

Scripts write their result through `out = sys.stdout`, through `sys.stdout.buffer`, or
re-wrap stdout for another encoding (`io.TextIOWrapper(sys.stdout.buffer, "utf-8")`);
all of these still reach the caller's stdout.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from scriptcontract.contract import names as N
from scriptcontract.contract.model import ScriptModel

STDOUT_OBJECTS = frozenset({N.STDOUT, "sys.stdout.buffer", "sys.__stdout__"})
# Calls whose first argument is the stream they wrap: the wrapper writes to it.
WRAPPERS = frozenset(
    {"io.TextIOWrapper", "io.BufferedWriter", "codecs.StreamWriter", "codecs.getwriter"}
)
FD_OPENERS = frozenset({"os.fdopen", "open", "io.open"})
MAX_DEPTH = 3

Values = Callable[[str], list[ast.expr | None]]


def is_stdout(model: ScriptModel, expr: ast.expr, values: Values, depth: int = 0) -> bool:
    """True when `expr` is certainly the script's stdout (or a wrapper of it)."""
    if depth > MAX_DEPTH:
        return False
    name = model.resolve(expr)
    if name in STDOUT_OBJECTS:
        return True
    if isinstance(expr, ast.Name):
        bound = values(expr.id)
        return bool(bound) and all(
            value is not None and is_stdout(model, value, values, depth + 1) for value in bound
        )
    if isinstance(expr, ast.Call):
        func = expr.func
        # codecs.getwriter("utf-8")(sys.stdout.buffer) calls what a call returned.
        func_name = model.resolve(func.func if isinstance(func, ast.Call) else func)
        first = expr.args[0] if expr.args else None
        if func_name in WRAPPERS and first is not None:
            return is_stdout(model, first, values, depth + 1)
        if func_name in FD_OPENERS and isinstance(first, ast.Constant):
            return first.value == 1
    return False


def alias_candidates(model: ScriptModel) -> set[str]:
    """Names assigned in a statement that mentions stdout: the only ones that can alias it."""
    names: set[str] = set()
    for key, sites in model.stream_refs.items():
        if not key.startswith(N.STDOUT) and key != "sys.__stdout__":
            continue
        for site in sites:
            stmt = site.stmt
            if isinstance(stmt, ast.Assign):
                names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return names
