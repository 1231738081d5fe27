"""SCR303 unchecked-input-path: a path from the inputs that the executor does not validate."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.key_patterns import UnsupportedPattern
from scriptcontract.contract.model import CallSite
from scriptcontract.contract.path_keys import path_keys
from scriptcontract.contract.rules._paths import path_arguments
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.settings import DEFAULT_INPUT_PATH_KEYS

META = RuleMeta(
    code="SCR303",
    name="unchecked-input-path",
    severity=Severity.HINT,
    summary="A file path taken from an input whose key the executor does not validate.",
    explanation="""
Before a run, the executor checks every input whose key looks like a path (`file`,
`input_file`, `output_path`, `data_dir`, ..., and the keys a project adds with
`input-path-keys`) and refuses paths outside the project. A path read from another key
(`inputs["source"]`) is not checked: a caller can pass `/etc/passwd` or `../../secret`.
Rename the key to a path key (`source_file`), add it with `input-path-keys`, or check the
path in the script (resolve it and compare it with the project root).
""",
    bad_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
with open(inputs["source"]) as handle:
    text = handle.read(4096)
""",
    good_example="""
import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
with open(inputs["source_file"]) as handle:
    text = handle.read(4096)
""",
    fix="Use a path key, add the key with `input-path-keys`, or validate the path before use.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    if not ctx.facts.stdin_refs:
        return
    try:
        keys_checked = path_keys(ctx.settings.input_path_keys)
    except UnsupportedPattern:  # settings given without the configuration's check
        keys_checked = path_keys(DEFAULT_INPUT_PATH_KEYS)
    for site, expr in path_arguments(ctx):
        keys = ctx.facts.input_keys(expr, site.ctx.function)
        if not keys or any(keys_checked.search(key) for key in keys):
            continue
        if isinstance(expr, ast.Name) and _checked(ctx, expr.id, site):
            continue
        key = keys[0]
        yield Report(
            ctx.range(expr),
            f'inputs["{key}"] is used as a file path, but its key is not a path key (file, '
            "*_path, *_dir... or one input-path-keys adds), so the executor does not check "
            "that it stays in the project",
        )


def _checked(ctx: RuleContext, name: str, site: CallSite) -> bool:
    scope = site.ctx.function
    checks = ctx.model.calls_to(*N.PATH_CHECKS) + ctx.model.method_calls(*N.PATH_CHECK_METHODS)
    for check_site in checks:
        if check_site.ctx.function is not scope:
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(check_site.node)):
            return True
    return False


RULE = Rule(META, check)
