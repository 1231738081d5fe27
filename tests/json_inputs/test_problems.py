"""What an inputs file is told: by the schema that applies (declared: errors; inferred:
warnings), at the key, and a key the script never reads only when the analysis is sure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scriptcontract.contract.input_reads import reads_every_key
from scriptcontract.json_inputs.keys import complete_key, describe_key, key_at
from scriptcontract.json_inputs.outline import read
from scriptcontract.json_inputs.problems import file_problems
from scriptcontract.json_inputs.script_schema import script_schema

SCRIPT = Path("scripts/greet.py")
SOURCE = """
import json
import sys

inputs = json.load(sys.stdin)
name = inputs["name"].strip()
times = int(inputs.get("times", 1))
print(json.dumps({"success": True, "message": name * times}))
"""
HANDS_ON = SOURCE + "log(inputs)\n"


def shown(kind: str, text: str, source: str = SOURCE, schema: str | None = None) -> list[str]:
    found = file_problems(kind, read(text), script_schema(SCRIPT, source, schema))  # type: ignore[arg-type]
    return [f"{text[p.start : p.end]} {p.code} {p.severity}" for p in found]


def test_the_inferred_schema_warns_and_an_unread_key_is_information() -> None:
    assert shown("sidecar", '{"nam": "Ada", "times": "2"}') == [
        "{ missing-key warning",
        '"times" wrong-type warning',
        '"nam" unread-key information',
    ]
    assert shown("sidecar", '{"name": "Ada", "times": 2}') == []


def test_no_key_is_called_unread_when_the_script_hands_its_inputs_on() -> None:
    assert reads_every_key(SOURCE) and not reads_every_key(HANDS_ON)
    assert shown("sidecar", '{"name": "Ada", "extra": 1}', HANDS_ON) == []
    assert shown("sidecar", '{"name": "Ada", "extra": 1}') == ['"extra" unread-key information']


def test_a_declared_schema_gives_errors_and_wins() -> None:
    schema = json.dumps(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "items": {"type": "array", "items": {"type": "object", "required": ["id"]}},
            },
            "required": ["name"],
        }
    )
    text = '{"name": 1, "items": [{"id": 1}, {"di": 2}]}'
    assert shown("sidecar", text, schema=schema) == [
        "{ missing-key error",  # items[1] lacks "id": shown on its opening brace
        '"name" wrong-type error',
    ]
    broken = shown("sidecar", text, schema="{not json")
    assert broken == ["{ schema-file warning"]


MODEL = """
import json
import sys
from typing import TypedDict


class Inputs(TypedDict):
    name: str


def main() -> None:
    inputs: Inputs = json.load(sys.stdin)
    print(json.dumps({"success": True, "message": inputs["name"] * int(inputs["times"])}))
"""


def test_a_model_in_the_script_gives_errors_and_the_reads_come_from_the_code() -> None:
    # The model wins over the inference (errors, its keys only; a type only warns, as the
    # model may convert it); where each key is read comes from the same inference that
    # found the model (one per script edit).
    assert shown("sidecar", "{}", MODEL) == ["{ missing-key error"]
    assert shown("sidecar", '{"name": 1}', MODEL) == ['"name" wrong-type warning']
    schema = script_schema(SCRIPT, MODEL, None)
    assert (schema.origin, list(schema.schema["properties"])) == ("model", ["name"])
    assert sorted(schema.reads) == [("name",), ("times",)]
    # The same model, read in a script that does not parse: nothing declared is found.
    broken = script_schema(SCRIPT, MODEL + "def (", None)
    assert (broken.origin, broken.reads) == ("inferred", {})


def test_a_file_that_does_not_parse_has_one_problem_where_reading_stopped() -> None:
    assert shown("sidecar", '{"name": "Ada", "ti') == ['"ti json-syntax error']
    assert shown("sidecar", "[1, 2]") == ["[1, 2] not-an-object error"]
    # A cases file's syntax is its own check's business.
    assert shown("cases", '{"cases": [') == []


def test_each_case_is_checked_unless_it_expects_a_failure() -> None:
    cases = {
        "cases": [
            {"name": "a", "inputs": {}},
            {"name": "b", "inputs": {}, "expect": {"error_type": "KeyError"}},
            {"name": "c", "inputs_file": "greet.inputs.json"},
        ]
    }
    assert shown("cases", json.dumps(cases)) == ['"inputs" missing-key warning']


def test_completion_hover_and_reads_of_a_key() -> None:
    schema = script_schema(SCRIPT, SOURCE, None)
    text = '{"times": 2, "'
    completion = complete_key("sidecar", read(text), schema, len(text))
    assert completion is not None
    assert [(c.name, c.insert_text) for c in completion.choices] == [("name", '"name": ""')]
    assert (completion.start, completion.end) == (len(text) - 1, len(text))
    # After the last member (on a line of its own), with the comma it needs.
    last = '{\n  "times": 2\n  "na'
    completion = complete_key("sidecar", read(last), schema, len(last))
    assert completion is not None and completion.comma_at == last.index("2") + 1
    assert [c.name for c in completion.choices] == ["name"]
    # After a complete key, or in a value, nothing is offered.
    assert complete_key("sidecar", read('{"times"'), schema, len('{"times"')) is None
    assert complete_key("sidecar", read('{"times": '), schema, len('{"times": ')) is None
    key = key_at("sidecar", read(text), 3)
    assert key is not None and key.path == ("times",)
    described = describe_key(schema, key.path)
    assert described is not None
    heading, description, reads = described
    assert description is None  # the script documents no key
    assert heading.startswith('"times": integer, optional, default 1')
    assert reads == [7]


def test_the_package_stays_out_of_the_server() -> None:
    check = (
        "import sys\n"
        "import scriptcontract.json_inputs.keys, scriptcontract.json_inputs.problems\n"
        "banned = ('pygls', 'lsprotocol', 'scriptcontract.executor', 'scriptcontract.lsp')\n"
        "print(sorted(m for m in sys.modules if m.startswith(banned)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


MODEL_SOURCE = """
import json
import sys
from pydantic import BaseModel


class Inputs(BaseModel):
    name: str
    times: int = 1


inputs = Inputs.model_validate(json.load(sys.stdin))
print(json.dumps({"success": True, "message": inputs.name * inputs.times}))
"""


def test_a_model_in_the_script_makes_a_missing_key_an_error_and_a_type_a_warning() -> None:
    # pydantic reads "2" as 2: the model, not a schema, decides which values it takes.
    assert shown("sidecar", '{"times": "2"}', MODEL_SOURCE) == [
        "{ missing-key error",
        '"times" wrong-type warning',
    ]
    assert shown("sidecar", '{"name": "Ada", "times": 2}', MODEL_SOURCE) == []


BRANCHED = """
import json
import sys

inputs = json.load(sys.stdin)
mode = inputs["mode"]
if mode == "copy":
    print(inputs["dest"])
"""


def test_a_key_read_only_on_some_paths_is_information_when_missing() -> None:
    assert shown("sidecar", '{"mode": "list"}', BRANCHED) == ["{ missing-key information"]
    found = file_problems("sidecar", read("{}"), script_schema(SCRIPT, BRANCHED, None))
    assert [(p.severity, p.message.rsplit(" (", 1)[0]) for p in found] == [
        ("information", "dest: not here; the script reads it only on some paths (line 8)"),
        ("warning", "mode: expected a value (required), got nothing"),
    ]
