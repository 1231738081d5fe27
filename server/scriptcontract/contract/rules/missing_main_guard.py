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
contract violation. It is reported at the first statement that does the work (reads stdin,
writes stdout, exits, calls the script's own functions), not at set-up lines such as
`logger = logging.getLogger(...)` or `sys.path.insert(...)`; a module with no such
statement does no work on import and is not reported. A script with a guard is reported
too when it reads its inputs, writes its result or exits outside the guard (a guard that
holds only an argument check, the work below it).
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
    facts = ctx.facts
    if not (facts.stdin_refs or facts.json_writes):
        return
    work = facts.import_time_work
    if ctx.model.main_guards:
        # A guard that holds only part of the script (the `supports` check of a preprocessor)
        # with the inputs read or the result written below it at module level: only that
        # counts, not a call of an imported module that sets up (`msvcrt.setmode(...)`).
        work = [stmt for stmt in work if _handles_the_run(ctx, stmt)]
    if work:
        # The first statement that does the work, not a harmless line above it such as
        # `logger = logging.getLogger(...)` or `PATTERN = re.compile(...)`.
        message = (
            'the script does its work at import time, outside its if __name__ == "__main__": '
            "guard: move it under the guard"
            if ctx.model.main_guards
            else "the script does its work at import time: consider main() under "
            'if __name__ == "__main__":'
        )
        yield Report(ctx.lines.first_line_of(work[0]), message)


def _handles_the_run(ctx: RuleContext, stmt: ast.stmt) -> bool:
    """Whether a module-level statement reads the inputs, writes the result or exits, or
    calls a function of the script that may."""
    if ctx.facts.statement_touches_streams(stmt):
        return True
    return any(ctx.model.local_function(site.name) for site in ctx.facts.calls_in(stmt))


RULE = Rule(META, check)
