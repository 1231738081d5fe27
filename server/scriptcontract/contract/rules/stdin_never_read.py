"""SCR101 stdin-never-read: the script ignores the inputs the executor sends on stdin."""

from __future__ import annotations

from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR101",
    name="stdin-never-read",
    severity=Severity.WARNING,
    summary="The script never reads its inputs from stdin.",
    explanation="""
A workflow script receives its inputs as one JSON document on stdin. A script that never reads
stdin cannot see them: it runs on hard-coded values, or on command-line arguments that the
executor does not pass. The rule stays silent when a module of the script's own project
reads stdin on its behalf (a function it calls, a decorator on its entry function, a module
it imports or runs: the analysis follows the project's modules, found as the executor's
`sys.path` finds them), or when it passes `sys.stdin` anywhere. A call into a module outside
the project (an installed package) proves nothing and does not silence it, except for the
few host frameworks known to read a script's inputs themselves (Ansible's `AnsibleModule`, the
base class of a Cortex analyzer, a Bolt task's `TaskHelper` subclass that defines `task()`;
the list is in `contract/framework_io.py`). A module that
does nothing when run (no `__main__` guard, no work at module level: a helper, a package's
`__init__.py`) is not a script and is not reported.
""",
    bad_example="""
import json

print(json.dumps({"success": True, "name": "World"}))
""",
    good_example="""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
print(json.dumps({"success": True, "name": inputs.get("name", "World")}))
""",
    fix="Read the inputs with `json.loads(sys.stdin.read() or '{}')` and use them.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    if facts.stdin_refs or not facts.has_entry_point or facts.delegated_stdin:
        return
    yield Report(ctx.script_range(), "the script never reads its inputs from stdin")


RULE = Rule(META, check)
