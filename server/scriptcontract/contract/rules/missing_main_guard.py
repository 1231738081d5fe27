"""SCR207 missing-main-guard: the work runs at import time (information)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import TRY_TYPES
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
holds only an argument check, the work below it). A guard that never holds because
`__main__` is mistyped (`if __name__ == "main":`) is reported at the guard: nothing under it
runs when the file is run. The fallback of a module-level `try` that only imports or sets up
(`except ImportError:` that reports the missing package and exits) is not work: it runs on
import only when the script could not run anyway.
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
    work = _without_setup_fallbacks(ctx.tree, facts.import_time_work)
    for guard, name in _guards_that_never_hold(ctx.tree):
        yield Report(
            ctx.lines.first_line_of(guard),
            f"this guard compares __name__ with {name!r}, which never holds when the file is "
            'run, so nothing under it runs: compare with "__main__"',
        )
        work = [stmt for stmt in work if not _inside(stmt, guard)]
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


def _guards_that_never_hold(tree: ast.Module) -> Iterator[tuple[ast.If, str]]:
    """Module-level `if __name__ == "main":`: a name a run never has ("__main__" when run,
    the module's own name when imported, which a script's guard does not mean to test)."""
    for stmt in tree.body:
        if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
            continue
        test = stmt.test
        if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
            continue
        sides = [test.left, test.comparators[0]]
        if not any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides):
            continue
        for side in sides:
            if isinstance(side, ast.Constant) and side.value in MISTAKEN_MAIN_NAMES:
                yield stmt, side.value


# What `__main__` is mistyped as; another string may be the module's own import name.
MISTAKEN_MAIN_NAMES = frozenset({"main", "__main", "main__", "_main_", "__main_", "_main__"})


def _inside(stmt: ast.stmt, guard: ast.If) -> bool:
    return any(stmt is inner for inner in ast.walk(guard))


def _without_setup_fallbacks(tree: ast.Module, work: list[ast.stmt]) -> list[ast.stmt]:
    """`work` less what the handlers of module-level `try` statements do. Around imports or
    set-up (`try: import boto3` / `except ImportError: print(...); sys.exit(1)`) a handler
    is the fallback of a failed set-up: it must sit at module level beside what it guards,
    and runs on import only when the script could not run anyway. Around the work
    (`try: inputs = json.load(sys.stdin)`) the body is the work, reported before them."""
    if not work:
        return work
    fallbacks: set[int] = set()
    for stmt in tree.body:
        if isinstance(stmt, TRY_TYPES):
            for handler in getattr(stmt, "handlers", ()):
                fallbacks.update(id(inner) for inner in ast.walk(handler))
    return [stmt for stmt in work if id(stmt) not in fallbacks]


def _handles_the_run(ctx: RuleContext, stmt: ast.stmt) -> bool:
    """Whether a module-level statement reads the inputs, writes the result or exits, or
    calls a function of the script that may."""
    if ctx.facts.statement_touches_streams(stmt):
        return True
    return any(ctx.model.local_function(site.name) for site in ctx.facts.calls_in(stmt))


RULE = Rule(META, check)
