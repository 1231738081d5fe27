"""Which schema an exploration generates from: declared wins, else inferred.

A `<name>.schema.json` beside the script is what the user promises callers: only inputs it
accepts are run. Without one, the model the script reads its inputs into, else the schema
inferred from the code: inputs are made from it as it is, since it is only a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scriptcontract.explore.generate import Literals, compared_literals
from scriptcontract.explore.session import Check


@dataclass(frozen=True)
class ChosenSchema:
    schema: dict[str, Any]
    origin: str  # "declared", "model" or "inferred"
    valid: Check | None  # for a declared schema: whether it accepts an input
    literals: Literals = ((), ())  # what the script compares values with


def exploration_schema(script: Path, source: str) -> ChosenSchema:
    """The schema to explore `script` with; `SchemaFileError` when its declared one is
    unusable (that is the user's to fix, never a reason to guess instead)."""
    from scriptcontract.contract.declared_model import declared_model_schema
    from scriptcontract.contract.input_schema import infer_input_schema
    from scriptcontract.schema_check import declared_schema, schema_validator

    literals = compared_literals(source)
    declared = declared_schema(script)
    if declared is not None:
        from referencing.exceptions import Unresolvable

        from scriptcontract.text_patterns import PatternTooSlow

        validator = schema_validator(declared)

        def valid(inputs: dict[str, Any]) -> bool:
            try:
                return bool(validator.is_valid(inputs))
            # What the schema does not let be checked is not accepted: a `$ref` out of the
            # file (nothing is fetched to follow it), a pattern that takes for ever, a
            # schema that refers to itself for ever.
            except (Unresolvable, PatternTooSlow, RecursionError):
                return False

        return ChosenSchema(declared, "declared", valid, literals)
    model = declared_model_schema(source)
    if model is not None:
        return ChosenSchema(model[1], "model", None, literals)
    return ChosenSchema(infer_input_schema(source), "inferred", None, literals)
