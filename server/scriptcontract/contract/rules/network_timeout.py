"""SCR403 network-without-timeout: a network call that can wait forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import CallSite
from scriptcontract.contract.rules._helpers import argument, has_star_kwargs
from scriptcontract.contract.rules._timeouts import add_timeout_fix, names_bound_to
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR403",
    name="network-without-timeout",
    severity=Severity.WARNING,
    summary="A network request is made without a timeout.",
    explanation="""
`urllib.request.urlopen()`, `requests.get()` and friends wait forever by default for a server
that accepts the connection and never answers. The run then ends at the executor's timeout
with no JSON at all. Pass `timeout=` (seconds), well inside the script's own timeout, and
report the timeout as an error. (`httpx` has a default timeout and is not reported.)
""",
    bad_example="""
import urllib.request

with urllib.request.urlopen("https://example.org/data.json") as response:
    body = response.read(1_000_000)
""",
    good_example="""
import urllib.request

with urllib.request.urlopen("https://example.org/data.json", timeout=10) as response:
    body = response.read(1_000_000)
""",
    fix="Add a timeout. The automatic fix adds `timeout=N` with N half the run timeout.",
    fixable=True,
)


def check(ctx: RuleContext) -> Iterator[Report]:
    for name, position in N.NETWORK_TIMEOUT_POSITION.items():
        for site in ctx.model.calls.get(name, ()):
            if _missing_timeout(site, position):
                yield _report(ctx, site, f"{name}()")
    sessions = names_bound_to(ctx.model.calls_to(*N.REQUESTS_SESSIONS))
    if sessions:
        for site in ctx.model.method_calls(*N.SESSION_METHODS):
            func = site.node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in sessions
                and _missing_timeout(site, None)
            ):
                yield _report(ctx, site, f"session.{func.attr}()")


def _missing_timeout(site: CallSite, position: int | None) -> bool:
    if has_star_kwargs(site.node):
        return False
    return argument(site.node, position, "timeout") is None


def _report(ctx: RuleContext, site: CallSite, label: str) -> Report:
    return Report(
        ctx.range(site.node),
        f"{label} without a timeout can wait forever for the server",
        fixes=add_timeout_fix(ctx, site),
    )


RULE = Rule(META, check)
