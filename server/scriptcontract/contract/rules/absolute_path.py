"""SCR301 absolute-path-outside-project: a literal absolute path is opened or listed."""

from __future__ import annotations

from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._paths import is_outside_absolute, literal_paths
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR301",
    name="absolute-path-outside-project",
    severity=Severity.ERROR,
    summary="A file is accessed by a literal absolute path, outside the project.",
    explanation="""
Scripts run with the project root as working directory and may only touch files inside it.
The sandbox refuses an absolute path such as `/etc/passwd` or `~/.ssh/id_rsa` at run time;
this rule says so before the run. Only strings that reach a file-access call (`open`,
`pathlib.Path`, `os.listdir`, `shutil.copy`, ...) count: the same text in a message or a
docstring is not a finding; a path passed to a function of the script that is called once
is followed to the call inside it. `/dev/null` and the standard streams are allowed.
""",
    bad_example="""
with open("/etc/passwd") as handle:
    users = [line.split(":")[0] for line in handle]
""",
    good_example="""
with open("data/users.txt") as handle:
    users = [line.split(":")[0] for line in handle]
""",
    fix="Use a path relative to the project root, or take the path from the inputs.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    for found in literal_paths(ctx):
        if is_outside_absolute(found.text):
            call = found.site.name or "this call"
            shown = found.text if found.complete else found.text + "..."
            related = (
                ()
                if found.node is found.expr
                else (ctx.related(found.site.node, f"used by {call}() here"),)
            )
            yield Report(
                ctx.range(found.node),
                f"{call}() of {shown!r}: an absolute path outside the project "
                "(the sandbox refuses it); use a path relative to the project root",
                related=related,
            )


RULE = Rule(META, check)
