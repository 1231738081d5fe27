"""SCR402 shell-true: a subprocess runs through the shell."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._helpers import argument
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR402",
    name="shell-true",
    severity=Severity.WARNING,
    summary="A subprocess is started with `shell=True`.",
    explanation="""
With `shell=True` the command line is interpreted by `/bin/sh`: quoting mistakes run the
wrong command, and any input data in the string can run commands of its own (shell
injection). A shell also starts a second process that a timeout may not kill. Pass the
command as a list of arguments instead.
""",
    bad_example="""
import subprocess

subprocess.run("ls -l data", shell=True, timeout=10)
""",
    good_example="""
import subprocess

subprocess.run(["ls", "-l", "data"], timeout=10)
""",
    fix="Pass a list of arguments and drop `shell=True`.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    for site in ctx.model.calls_to(*N.SUBPROCESS_WITH_TIMEOUT, N.SUBPROCESS_POPEN):
        shell = argument(site.node, None, "shell")
        if isinstance(shell, ast.Constant) and shell.value is True:
            yield Report(
                ctx.range(shell),
                f"{site.name}() with shell=True: pass the command as a list of arguments",
            )


RULE = Rule(META, check)
