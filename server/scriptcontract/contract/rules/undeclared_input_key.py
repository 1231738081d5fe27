"""SCR107 undeclared-input-key: the code reads an input key its declared schema lacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from scriptcontract.contract.declared_schema import declared_schema
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

if TYPE_CHECKING:
    from scriptcontract.contract.input_schema import InferredInputs

META = RuleMeta(
    code="SCR107",
    name="undeclared-input-key",
    severity=Severity.WARNING,
    summary="The code reads an input key that the script's declared schema does not list.",
    explanation="""
A declared schema is what the script promises its callers: `<name>.schema.json` beside it,
or the `TypedDict`, dataclass or pydantic model it reads its inputs into (see
[schemas](../schemas.md)). When the code reads a key the schema does not list, callers who
follow the schema never pass it: the script fails with a `KeyError`, or quietly uses a
default nobody knows about. Nested keys count too (`items[].qty`), at every level where the
schema lists `properties`; a level it leaves open says nothing to disagree with. Scripts
without a declared schema are not checked: there, the schema is inferred from the code.
""",
    bad_example="""
import json
import sys
from typing import TypedDict


class Inputs(TypedDict):
    name: str


inputs: Inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "greeting": f"Hello, {inputs['name']}" * inputs["times"]}))
""",
    good_example="""
import json
import sys
from typing import TypedDict


class Inputs(TypedDict):
    name: str
    times: int


inputs: Inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "greeting": f"Hello, {inputs['name']}" * inputs["times"]}))
""",
    fix="Add the key to the declared schema (`scriptcontract schema SCRIPT --inferred` shows "
    "what the code reads), or stop reading it.",
)


def check(ctx: RuleContext) -> Iterator[Report]:
    # One inference of the inputs, made when first asked: a model declared in the code is
    # found with the inference the keys are then read with.
    made: list[InferredInputs] = []

    def inference() -> InferredInputs:
        if not made:
            # Loaded only for a script that declares a schema: most never do, and `check`
            # would load the inference in every worker for nothing.
            from scriptcontract.contract.input_schema import inferred_inputs_of

            made.append(inferred_inputs_of(ctx.tree, ctx.source))
        return made[0]

    declared = declared_schema(ctx.tree, ctx.source, ctx.path, ctx.facts.modules, inference)
    if declared is None:
        return
    from scriptcontract.contract.input_schema import input_reads, undeclared_keys

    inferred, sites = input_reads(inference())
    for key in undeclared_keys(declared.schema, inferred):
        site = sites.get(key)
        where = ctx.range(site) if site is not None else ctx.script_range()
        yield Report(
            where,
            f"the input key `{key}` is read here, but {declared.origin} does not declare it: "
            "callers that follow the schema never pass it",
        )


RULE = Rule(META, check)
