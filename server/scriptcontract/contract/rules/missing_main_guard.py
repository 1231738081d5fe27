"""SCR207 missing-main-guard: the work runs at import time (information)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR207",
    name="missing-main-guard",
    severity=Severity.INFORMATION,
    summary='The work runs at module level, without an `if __name__ == "__main__":` guard.',
    explanation="""
Without the guard, importing the script (from a test, or to reuse a function) reads stdin and
exits. Putting the work in a `main(inputs)` function called under
`if __name__ == "__main__":` keeps the script importable and testable. This is advice, not a
contract violation.
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
print(json.dumps({"success": True, "echo": inputs}))
""",
    good_example="""
import json
import sys


def main(inputs):
    return {"success": True, "echo": inputs}


if __name__ == "__main__":
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps(main(inputs)))
""",
    fix='Move the work into `main()` and call it under `if __name__ == "__main__":`.',
)

DECLARATIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def check(ctx: RuleContext) -> Iterator[Report]:
    if ctx.model.main_guards or not (ctx.facts.stdin_refs or ctx.facts.json_writes):
        return
    for stmt in ctx.tree.body:
        if isinstance(stmt, DECLARATIONS) or _is_plain_value(stmt):
            continue
        yield Report(
            ctx.lines.first_line_of(stmt),
            "the script does its work at import time: consider main() under "
            'if __name__ == "__main__":',
        )
        return


def _is_plain_value(stmt: ast.stmt) -> bool:
    """Docstrings and constants: assignments without a call."""
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        value = stmt.value
        return value is not None and not any(isinstance(n, ast.Call) for n in ast.walk(value))
    return isinstance(stmt, ast.Pass)


RULE = Rule(META, check)
