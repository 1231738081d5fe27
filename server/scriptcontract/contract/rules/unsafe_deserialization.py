"""SCR502 unsafe-deserialization: pickle (or similar) loads data that comes from the inputs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules._helpers import argument
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR502",
    name="unsafe-deserialization",
    severity=Severity.ERROR,
    summary="`pickle.loads()` (or `marshal`, `yaml.load`) reads data from the inputs.",
    explanation="""
Unpickling runs code chosen by whoever wrote the data: a pickle taken from the inputs (or
from a file named by them) lets the caller run anything inside the script. Exchange data as
JSON, or use `yaml.safe_load()`.
""",
    bad_example="""
import base64
import json
import pickle
import sys

inputs = json.loads(sys.stdin.read() or "{}")
state = pickle.loads(base64.b64decode(inputs["state"]))
""",
    good_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
state = json.loads(inputs["state"])
""",
    fix="Use JSON (or `yaml.safe_load`) for data that comes from outside.",
)

SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader"})


def check(ctx: RuleContext) -> Iterator[Report]:
    if not ctx.facts.stdin_refs:
        return
    for site in ctx.model.calls_to(*N.UNSAFE_LOADS, "yaml.load"):
        if not site.node.args:
            continue
        if site.name == "yaml.load":
            loader = argument(site.node, 1, "Loader")
            if loader is not None and _loader_name(loader) in SAFE_LOADERS:
                continue
        if ctx.facts.is_input(site.node.args[0], site.ctx.function):
            yield Report(
                ctx.range(site.node),
                f"{site.name}() of input data can run code chosen by the caller: use JSON",
            )


def _loader_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


RULE = Rule(META, check)
