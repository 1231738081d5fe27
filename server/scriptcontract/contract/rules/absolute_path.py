"""SCR301 absolute-path-outside-project: a literal absolute path is opened or listed."""

from __future__ import annotations

from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._paths import (
    ENV_LOOKUPS,
    env_default,
    is_outside_absolute,
    literal_paths,
)
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
docstring is not a finding. The default of an environment look-up counts
(`open(os.environ.get("CONFIG", "/etc/app.yaml"))`): a run's environment may not set the
variable, and then the default is opened. A path passed to a function of the script that is
called once is followed to the call inside it. `/dev/null` and the standard streams are allowed.
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
    defaults = {
        id(default)
        for site in ctx.model.calls_to(*ENV_LOOKUPS)
        if (default := env_default(ctx, site.node)) is not None
    }
    for found in literal_paths(ctx):
        if is_outside_absolute(found.text):
            call = found.site.name or "this call"
            shown = found.text if found.complete else found.text + "..."
            what = f"{call}() of {shown!r}"
            if id(found.node) in defaults:
                what += (
                    ", the default of an environment look-up (used when the run's "
                    "environment does not set the variable)"
                )
            related = (
                ()
                if found.node is found.expr
                else (ctx.related(found.site.node, f"used by {call}() here"),)
            )
            yield Report(
                ctx.range(found.node),
                f"{what}: an absolute path outside the project "
                "(the sandbox refuses it); use a path relative to the project root",
                related=related,
            )


RULE = Rule(META, check)
