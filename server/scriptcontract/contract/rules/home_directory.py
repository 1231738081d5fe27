"""SCR304 home-directory-state: state kept under `~` does not survive from one run to the next."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR304",
    name="home-directory-state",
    severity=Severity.HINT,
    summary="A path under the home directory (`~`, `Path.home()`, `$HOME`): runs get a "
    "private one.",
    explanation="""
Each run of a workflow script gets a private, throw-away `HOME` inside its sandbox: a cache,
a marker file or a log written under `~` is gone at the next run, and files the user keeps in
their real home directory are not there to read. Keep state in the project (a path relative
to the project root) or take the path from the inputs. The rule points at
`os.path.expanduser("~/...")`, `Path.home()` and `$HOME` read from the environment; a literal
`~/...` handed straight to a file access is SCR301's.
""",
    bad_example="""
import os

STATE = os.path.expanduser("~/.cache/report-state.json")
""",
    good_example="""
import os

STATE = os.path.join("state", "report-state.json")
""",
    fix="Keep the file inside the project, relative to its root.",
)

HOME_CALLS = frozenset({"pathlib.Path.home", "os.path.expanduser", "posixpath.expanduser"})
ENV_READS = frozenset({"os.environ.get", "os.getenv"})


def check(ctx: RuleContext) -> Iterator[Report]:
    model = ctx.model
    for site in model.calls_to(*HOME_CALLS, *ENV_READS):
        first = site.node.args[0] if site.node.args else None
        if site.name in ENV_READS and not _is_home(first):
            continue
        if site.name in ("os.path.expanduser", "posixpath.expanduser") and not _starts_home(first):
            continue
        yield _report(ctx, site.node)
    # `Path("~/.cache").expanduser()` and `open("~/...")`: the literal reaches a file
    # access, and SCR301 reports it already.


def _report(ctx: RuleContext, node: ast.AST) -> Report:
    return Report(
        ctx.range(node),
        "a path under the home directory: each run gets a private, throw-away HOME, so "
        "what is kept there is lost; keep it in the project",
    )


def _is_home(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value == "HOME"


def _starts_home(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.startswith("~")
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("~")
    return False


RULE = Rule(META, check)
