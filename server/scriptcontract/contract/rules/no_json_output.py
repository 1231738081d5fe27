"""SCR104 no-json-output: nothing is ever written to stdout, so the caller gets no result."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import CallSite, Site
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR104",
    name="no-json-output",
    severity=Severity.ERROR,
    summary="The script never writes its JSON result to stdout.",
    explanation="""
The executor reads the script's result from stdout: exactly one JSON document. A script that
writes nothing there (it only writes files, or logs to stderr) ends with `Invalid JSON output
from script`. The rule only fires when nothing in the script that may run writes to stdout
(a writer in a function nothing calls writes nothing): no
`print()` without `file=`, no use of `sys.stdout` other than flushing or inspecting it
(`flush()`, `fileno()`, `isatty()`, `reconfigure()`), and no module of the project that
writes to stdout on its behalf (followed like the script's own code; a module outside the
project proves nothing, except the few host frameworks known to print a script's result,
such as Ansible's `AnsibleModule`, a Flow Launcher plugin, Singer's `write_*` calls, a
Cortex analyzer or a Bolt task's `TaskHelper` subclass that defines `task()`:
`contract/framework_io.py`).
A module that does nothing when run (no `__main__`
guard, no work at module level: a helper, a package's `__init__.py`) is not a script and is
not reported.
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
with open("output/result.txt", "w") as handle:
    handle.write(str(inputs))
""",
    good_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
with open("output/result.txt", "w") as handle:
    handle.write(str(inputs))
print(json.dumps({"success": True, "output_file": "output/result.txt"}))
""",
    fix="Print one JSON object at the end: `print(json.dumps(result))`.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts, model = ctx.facts, ctx.model
    if not facts.has_entry_point or facts.stdout_reassigned:
        return
    runs = _may_run(ctx)
    if any(runs(w.site) for w in (*facts.direct_writes, *facts.helper_writes)):
        return
    if not _stdout_only_inspected(ctx, runs):
        return
    for site in model.calls.get("print", ()):
        if not runs(site):
            continue
        target = next((kw.value for kw in site.node.keywords if kw.arg == "file"), None)
        if target is None or model.resolve(target) != N.STDERR:
            return  # a print that may reach stdout
    if facts.delegated_output:  # asked last: following the project's modules costs the most
        return
    yield Report(ctx.script_range(), "the script never writes a JSON result to stdout")


# Methods of stdout that write nothing: a script that only flushes stdout (before handing
# over to a child, or out of habit) still writes no result.
INSPECTING_METHODS = ("flush", "fileno", "isatty", "reconfigure")


def _may_run(ctx: RuleContext) -> Callable[[CallSite | Site], bool]:
    """Whether code at a site may run: a write in a function nothing calls (a native host's
    `send_message()` kept for later) writes nothing."""
    run_path = ctx.facts.run_path

    def runs(site: CallSite | Site) -> bool:
        function = site.ctx.function
        return function is None or id(function) in run_path

    return runs


def _stdout_only_inspected(ctx: RuleContext, runs: Callable[[CallSite | Site], bool]) -> bool:
    """Whether every reference to stdout in code that may run is flushed or inspected, never
    written to nor handed on (no reference at all counts as inspected)."""
    model = ctx.model
    refs = [ref for ref in model.stream_refs.get(N.STDOUT, ()) if runs(ref)]
    if not refs:
        return True
    inspected: set[int] = set()
    for site in model.method_calls(*INSPECTING_METHODS):
        receiver = site.node.func.value  # type: ignore[attr-defined]
        if type(receiver) is ast.Attribute and receiver.attr == "buffer":
            receiver = receiver.value
        if model.resolve(receiver) == N.STDOUT:
            inspected.add(id(receiver))
    return all(id(ref.node) in inspected for ref in refs)


RULE = Rule(META, check)
