"""SCR401 subprocess-without-timeout: a child process that may outlive the script's timeout."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._helpers import argument, has_star_kwargs
from scriptcontract.contract.rules._timeouts import add_timeout_fix, names_bound_to
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR401",
    name="subprocess-without-timeout",
    severity=Severity.WARNING,
    summary="A subprocess is started without a timeout.",
    explanation="""
A command that hangs keeps the script waiting until the executor kills the whole run at its
timeout, and the caller gets no JSON at all. Give `subprocess.run()` (and `call`,
`check_call`, `check_output`, `Popen.communicate()`, `Popen.wait()`) a `timeout=` well inside
the script's own, and report `subprocess.TimeoutExpired` as an error. `os.system()` and
`os.popen()` cannot time out at all: use `subprocess.run(..., timeout=...)`.
""",
    bad_example="""
import subprocess

listing = subprocess.run(["ls", "-l"], capture_output=True, text=True)
""",
    good_example="""
import subprocess

listing = subprocess.run(["ls", "-l"], capture_output=True, text=True, timeout=10)
""",
    fix="Add a timeout. The automatic fix adds `timeout=N` with N half the run timeout.",
    fixable=True,
)


def check(ctx: RuleContext) -> Iterator[Report]:
    model = ctx.model
    for site in model.calls_to(*N.SUBPROCESS_WITH_TIMEOUT):
        if has_star_kwargs(site.node) or argument(site.node, None, "timeout") is not None:
            continue
        yield Report(
            ctx.range(site.node),
            f"{site.name}() without a timeout can hang until the run is killed",
            fixes=add_timeout_fix(ctx, site),
        )
    for site in model.calls_to(*N.SHELL_NO_TIMEOUT):
        command = site.node.args[0] if site.node.args else None
        if isinstance(command, ast.Constant) and command.value == "":
            continue  # os.system(""): runs no command (it switches Windows consoles to ANSI)
        yield Report(
            ctx.range(site.node),
            f"{site.name}() cannot time out: use subprocess.run(..., timeout=...)",
        )
    popens = names_bound_to(ctx.model.calls.get(N.SUBPROCESS_POPEN, ()))
    if popens:
        for site in model.method_calls("communicate", "wait"):
            func = site.node.func
            if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
                continue
            if func.value.id not in popens or has_star_kwargs(site.node):
                continue
            position = 1 if func.attr == "communicate" else 0
            if argument(site.node, position, "timeout") is None:
                yield Report(
                    ctx.range(site.node),
                    f"Popen.{func.attr}() without a timeout can hang until the run is killed",
                    fixes=add_timeout_fix(ctx, site),
                )


RULE = Rule(META, check)
