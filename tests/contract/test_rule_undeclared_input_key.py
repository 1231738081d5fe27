"""SCR107 undeclared-input-key: the code reads a key its declared schema (the file beside
the script, or the model in it) does not list."""

from __future__ import annotations

import json
import textwrap

import pytest

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Finding
from scriptcontract.contract.project_modules import ProjectModules
from scriptcontract.contract.settings import LintSettings
from tests.contract.helpers import findings

SCRIPT = "/project/scripts/job.py"
SCHEMA = "/project/scripts/job.schema.json"
READS = """
import json, sys
inputs = json.loads(sys.stdin.read() or "{}")
for item in inputs["items"]:
    print(item["id"], item.get("qty", 1), file=sys.stderr)
if "mode" in inputs:
    print(inputs["mode"], file=sys.stderr)
"""


def own(found: list[Finding]) -> list[tuple[int, int, str]]:
    return [
        (f.range.start.line + 1, f.range.start.character, f.message)
        for f in found
        if f.code == "SCR107"
    ]


def with_schema(source: str, schema: str | None) -> list[tuple[int, int, str]]:
    files = {SCRIPT: textwrap.dedent(source).lstrip("\n")}
    if schema is not None:
        files[SCHEMA] = schema
    modules = ProjectModules(files.get, "/project")
    found = analyse(files[SCRIPT], path=SCRIPT, settings=LintSettings(), modules=modules)
    assert SCHEMA in modules.used, "the schema file is a dependency of the findings"
    return own(found)


def test_keys_the_schema_file_lacks_are_found_at_their_first_read() -> None:
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {"id": {}}}}
        },
    }
    assert with_schema(READS, json.dumps(schema)) == [
        (4, 31, "the input key `items[].qty` is read here, but `job.schema.json` does not "
         "declare it: callers that follow the schema never pass it"),
        (5, 3, "the input key `mode` is read here, but `job.schema.json` does not declare it: "
         "callers that follow the schema never pass it"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "schema",
    [
        None,  # no declared schema: the inferred one cannot disagree with itself
        '{"type": "object"}',  # no `properties`: the schema leaves the keys open
        '{"properties": {"items": {"type": "array"}, "mode": {}}}',  # `items[]` left open
        '{"properties": {"items": {"items": {"properties": {"id": {}, "qty": {}}}}, "mode": {}}}',
        "{not json",  # `run`, `test` and `schema` say what is wrong with it
        "[1, 2]",
    ],
)
def test_silent_when_the_schema_file_lists_every_key_read_or_is_none(schema: str | None) -> None:
    assert with_schema(READS, schema) == []


def test_without_the_project_the_schema_file_is_not_known() -> None:
    source = textwrap.dedent(READS).lstrip("\n")
    assert own(analyse(source, path=SCRIPT)) == []


MODEL = """
import json, sys
from dataclasses import dataclass

@dataclass
class Options:
    level: int = 1

@dataclass
class Inputs:
    name: str
    options: Options | None = None

def main(inputs: Inputs) -> None:
    print(inputs["name"], inputs["options"]["level"], inputs["options"]["depth"], file=sys.stderr)
    print(json.dumps({"success": True, "greeting": inputs.get("greeting")}))

main(json.loads(sys.stdin.read() or "{}"))
"""


def test_keys_the_model_in_the_script_lacks_are_found_at_their_read() -> None:
    assert [(line, message.split(" is read")[0]) for line, _, message in own(findings(MODEL))] == [
        (14, "the input key `options.depth`"),
        (15, "the input key `greeting`"),
    ]
    assert "the model `Inputs` does not declare it" in own(findings(MODEL))[0][2]


def test_silent_when_the_model_declares_every_key_read() -> None:
    declared = MODEL.replace("level: int = 1", "level: int = 1\n    depth: int = 0").replace(
        "name: str", "name: str\n    greeting: str = 'Hi'"
    )
    assert own(findings(declared)) == []


def test_the_schema_file_wins_over_the_model() -> None:
    schema = json.dumps({"properties": {"name": {}, "options": {}, "greeting": {}}})
    assert with_schema(MODEL, schema) == []
