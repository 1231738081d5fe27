"""SCR302 parent-directory-escape: a literal path climbs out of the project with `../`."""

from __future__ import annotations

from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._paths import escapes_root, literal_paths
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR302",
    name="parent-directory-escape",
    severity=Severity.ERROR,
    summary="A file path uses `../` to leave the project root.",
    explanation="""
Scripts run with the project root as working directory; a path such as
`../../secrets.txt` points outside the project, which the sandbox refuses. `data/../out.txt`
stays inside and is fine. Only paths that reach a file-access call are checked.
""",
    bad_example="""
with open("../../sensitive.txt") as handle:
    secret = handle.read()
""",
    good_example="""
with open("data/shared.txt") as handle:
    shared = handle.read()
""",
    fix="Keep the file inside the project and use its path from the project root.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    for found in literal_paths(ctx):
        if escapes_root(found.text, found.complete):
            call = found.site.name or "this call"
            related = (
                ()
                if found.node is found.expr
                else (ctx.related(found.site.node, f"used by {call}() here"),)
            )
            yield Report(
                ctx.range(found.node),
                f"{call}() of {found.text!r} leaves the project root: "
                "scripts may only touch files inside the project",
                related=related,
            )


RULE = Rule(META, check)
