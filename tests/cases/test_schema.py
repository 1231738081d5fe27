"""The published JSON Schema of cases files is the one generated from the model."""

from __future__ import annotations

import json

from scriptcontract.cases.model import Case, CasesFile, Expectation
from scriptcontract.cases.schema import SCHEMA_FILE, cases_schema, schema_text


def test_the_committed_schema_is_the_generated_one() -> None:
    # Regenerate: see the docstring of scriptcontract/cases/schema.py.
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


def test_the_schema_names_every_key_of_the_model_and_forbids_others() -> None:
    schema = cases_schema()
    definitions = schema["$defs"]
    for model, node in (
        (CasesFile, schema),
        (Case, definitions["Case"]),
        (Expectation, definitions["Expectation"]),
    ):
        names = {info.alias or name for name, info in model.model_fields.items()}
        assert set(node["properties"]) == names
        assert node["additionalProperties"] is False


def test_optional_keys_are_left_out_never_null() -> None:
    assert "null" not in json.dumps(cases_schema())
