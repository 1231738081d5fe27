"""SCR406 sleep-exceeds-timeout: a sleep longer than the run may last."""

from __future__ import annotations

from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._helpers import argument
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR406",
    name="sleep-exceeds-timeout",
    severity=Severity.WARNING,
    summary="A sleep lasts as long as the run's timeout or longer.",
    explanation="""
A script must finish well within its timeout (30 s by default, `timeout-ms` in the
configuration). `time.sleep(60)` alone guarantees that the run is killed: the caller gets
`Script execution timed out` and no result.
""",
    bad_example="""
import time

time.sleep(60)
""",
    good_example="""
import time

time.sleep(2)
""",
    fix="Sleep for less, or raise the timeout of this script.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    limit = ctx.settings.timeout_ms / 1000
    for site in ctx.model.calls_to(*N.SLEEPS):
        arg = argument(site.node, 0, "secs" if site.name == "time.sleep" else "delay")
        if arg is None:
            continue
        value = ctx.facts.constant(arg, site.ctx.function)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= limit:
            yield Report(
                ctx.range(site.node),
                f"sleeps {value:g} s, but the run is killed after {limit:g} s",
            )


RULE = Rule(META, check)
