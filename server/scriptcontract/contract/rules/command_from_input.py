"""SCR503 command-from-input: the inputs choose the command a subprocess runs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import FunctionInfo
from scriptcontract.contract.rules._helpers import argument
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR503",
    name="command-from-input",
    severity=Severity.ERROR,
    summary="A shell command line, or the program to run, comes from the inputs.",
    explanation="""
`os.system(inputs["cmd"])`, `subprocess.run(f"convert {name}", shell=True)` or
`subprocess.run(inputs["command"])` let whoever sends the inputs run any program inside the
script (command injection). Pick the program in the script, pass input values only as
separate list arguments, and check them against what you expect.
""",
    bad_example="""
import json
import subprocess
import sys

inputs = json.loads(sys.stdin.read() or "{}")
subprocess.run(f"wc -l {inputs['input_file']}", shell=True, timeout=10)
""",
    good_example="""
import json
import subprocess
import sys

inputs = json.loads(sys.stdin.read() or "{}")
subprocess.run(["wc", "-l", "--", inputs["input_file"]], timeout=10)
""",
    fix="Choose the program in the script; pass input values as separate arguments.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    if not facts.stdin_refs:
        return
    for site in ctx.model.calls_to(*N.SUBPROCESS_ANY):
        command = argument(site.node, 0, "args")
        if command is None:
            continue
        scope = site.ctx.function
        shell = argument(site.node, None, "shell")
        through_shell = site.name in N.SHELL_NO_TIMEOUT or (
            isinstance(shell, ast.Constant) and shell.value is True
        )
        if through_shell and facts.is_input(command, scope):
            yield Report(
                ctx.range(command),
                "input data in a shell command line: the caller can run any command",
            )
        elif not through_shell and any(
            facts.is_input(program, scope) for program in _programs(ctx, command, scope)
        ):
            yield Report(
                ctx.range(command),
                "the program to run comes from the inputs: the caller can run any command",
            )


def _programs(
    ctx: RuleContext, command: ast.expr, scope: FunctionInfo | None, depth: int = 0
) -> list[ast.expr]:
    """What the first item of the argument list can be: `["git", *args]` runs git whatever
    the arguments, `cmd = ["aws", ...]; cmd += [name]` runs aws."""
    if isinstance(command, (ast.List, ast.Tuple)):
        if not command.elts:
            return []
        first = command.elts[0]
        return (
            _programs(ctx, first.value, scope, depth + 1)
            if isinstance(first, ast.Starred)
            else [first]
        )
    if depth > 3:
        return [command]
    if isinstance(command, ast.BinOp) and isinstance(command.op, ast.Add):
        return _programs(ctx, command.left, scope, depth + 1)
    if isinstance(command, ast.Name):
        values = ctx.facts.assigned_values(command.id, scope, augmented=False)
        if values and all(value is not None for value in values):
            return [p for v in values if v is not None for p in _programs(ctx, v, scope, depth + 1)]
    return [command]


RULE = Rule(META, check)
