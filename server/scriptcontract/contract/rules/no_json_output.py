"""SCR104 no-json-output: nothing is ever written to stdout, so the caller gets no result."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
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
from script`. The rule only fires when nothing in the script writes to stdout at all: no
`print()` without `file=`, no use of `sys.stdout` other than flushing or inspecting it
(`flush()`, `fileno()`, `isatty()`, `reconfigure()`), and no module of the project that
writes to stdout on its behalf (followed like the script's own code; a module outside the
project proves nothing, except the few host frameworks known to print a script's result,
such as Ansible's `AnsibleModule`, a Flow Launcher plugin or Singer's `write_*` calls:
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
    if facts.direct_writes or facts.helper_writes or not facts.has_entry_point:
        return
    if facts.stdout_reassigned or not _stdout_only_inspected(ctx):
        return
    for site in model.calls.get("print", ()):
        target = next((kw.value for kw in site.node.keywords if kw.arg == "file"), None)
        if target is None or model.resolve(target) != N.STDERR:
            return  # a print that may reach stdout
    if facts.delegated_output:  # asked last: following the project's modules costs the most
        return
    yield Report(ctx.script_range(), "the script never writes a JSON result to stdout")


# Methods of stdout that write nothing: a script that only flushes stdout (before handing
# over to a child, or out of habit) still writes no result.
INSPECTING_METHODS = ("flush", "fileno", "isatty", "reconfigure")


def _stdout_only_inspected(ctx: RuleContext) -> bool:
    """Whether every reference to stdout is flushed or inspected, never written to nor
    handed on (no reference at all counts as inspected)."""
    model = ctx.model
    refs = model.stream_refs.get(N.STDOUT, ())
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
