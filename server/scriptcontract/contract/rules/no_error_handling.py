"""SCR202 no-error-handling: an exception ends the script with a traceback and no JSON."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.delegation import Handover, delegates
from scriptcontract.contract.facts import Facts
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.may_raise import may_raise
from scriptcontract.contract.rules._helpers import NOT_ERRORS, handler_names, only_raises_again
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR202",
    name="no-error-handling",
    severity=Severity.WARNING,
    summary="No `try`/`except` anywhere: any error gives a traceback and no JSON result.",
    explanation="""
When a workflow script raises (a missing input key, a file that does not exist), Python prints
a traceback on stderr and exits 1, and stdout holds no JSON: the caller learns only `Script
exited with code 1`. Wrap the work in `try`/`except Exception` and print an error object such
as `{"success": false, "error": "...", "error_type": "KeyError"}` before exiting 1. The rule
fires only when the script has no exception handler at all (handlers for `ImportError` do not
count, nor those of `KeyboardInterrupt`, `SystemExit` or `GeneratorExit` alone, which are not
errors, nor those that only raise again, `except OSError as err: raise err`, nor those in a
function the script never names, which never runs) and does not
install `sys.excepthook`, and only when something in it can fail: a
script that parses nothing, opens nothing, runs nothing and calls only what it defines or
what cannot raise (`print`, `json.dumps`, an argument parser, `sys.argv` indexed behind a
length check, a dict it built indexed by a key it put there or behind `if key in table:`)
has no error to handle. A module that does nothing when run (no `__main__`
guard, no work at module level: a helper, a package's `__init__.py`) is not a script and is
not reported.
""",
    bad_example="""
import json
import sys

inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "greeting": "Hi " + inputs["name"]}))
""",
    good_example="""
import json
import sys

try:
    inputs = json.loads(sys.stdin.read() or "{}")
    print(json.dumps({"success": True, "greeting": "Hi " + inputs["name"]}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
    sys.exit(1)
""",
    fix="Wrap the work in `try`/`except Exception as exc:` that prints a JSON error and exits 1.",
)

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
HANDLES_NOTHING = IMPORT_ERRORS | NOT_ERRORS


def check(ctx: RuleContext) -> Iterator[Report]:
    facts, model = ctx.facts, ctx.model
    if not (facts.stdin_refs or facts.json_writes) or not facts.has_entry_point:
        return
    if "sys.excepthook" in model.attribute_assignments:
        return
    run_path: set[int] | None = None
    for site in model.trys:
        function = site.ctx.function
        if function is not None:
            if run_path is None:
                run_path = facts.run_path
            if id(function) not in run_path:
                continue  # a handler in a function nothing calls handles nothing
        for handler in site.node.handlers:  # type: ignore[attr-defined]
            caught = handler_names(model, handler)
            if caught is not None and set(caught) <= HANDLES_NOTHING:
                continue
            if not only_raises_again(ctx, handler):
                return  # `except ... as err: raise err` handles nothing
    if not may_raise(model):
        return
    if facts.delegates and _may_answer_errors(facts):  # asked last: it costs the most
        return
    anchor = facts.json_parses[0].node if facts.json_parses else None
    report_range = ctx.lines.first_line_of(anchor) if anchor is not None else ctx.script_range()
    yield Report(
        report_range,
        "no error handling: an exception ends the script with a traceback and no JSON result",
    )


def _may_answer_errors(facts: Facts) -> bool:
    """The I/O is done elsewhere by code that may also answer the script's errors: a module
    of the project, a framework of the table, or code the stream is handed to, except the
    script's own functions (their handlers are counted above) and a library outside the
    project (`nbformat.read(sys.stdin)`), which reads or writes the stream and catches
    nothing of the script's."""
    kept = [h for h in facts.streams_handed if not _answers_nothing(facts, h)]
    return delegates(facts, "reads", kept) or delegates(facts, "writes", kept)


def _answers_nothing(facts: Facts, handover: Handover) -> bool:
    call = handover.node
    if not isinstance(call, ast.Call):
        return False
    model = facts.model
    name = model.resolve(call.func)
    if name is None:
        return False
    if model.local_function(name) is not None:
        return True  # `totals(sys.stdin)`: the script's own code, its handlers seen above
    modules = facts.modules
    if modules is None or "." not in name:
        return False  # without the project, a module cannot be told to lie outside it
    root = name.split(".", 1)[0]
    if not any(v == root or v.startswith(root + ".") for v in facts.model.aliases.values()):
        return False  # not an imported module's function: `reader.load(sys.stdin)`
    return modules.find(root, facts.path) is None


RULE = Rule(META, check)
