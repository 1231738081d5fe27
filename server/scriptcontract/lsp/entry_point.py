"""Where a workflow script starts: the line a run's summary and the code lens belong to."""

from __future__ import annotations

import ast
import re

_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.MULTILINE)


def entry_line(source: str) -> int:
    """0-based line of `if __name__ == "__main__":`, else of `def main`, else the first code."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        match = _MAIN_GUARD.search(source)
        return source.count("\n", 0, match.start()) if match else 0
    main_def = None
    first = None
    for statement in tree.body:
        if _is_main_guard(statement):
            return statement.lineno - 1
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if statement.name == "main" and main_def is None:
                main_def = statement.lineno - 1
        elif first is None and not _is_docstring(statement):
            first = statement.lineno - 1
    if main_def is not None:
        return main_def
    return first if first is not None else 0


def _is_main_guard(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.If):
        return False
    test = statement.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and texts)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
