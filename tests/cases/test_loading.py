"""A cases file read: its cases, or every mistake with the case, the key and where it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptcontract.cases.loading import load_cases
from tests.conftest import EXAMPLES


def problems(text: str) -> list[tuple[int, int, str]]:
    document = load_cases(text)
    assert document.model is None
    return [(*document.lines.position(p.start), p.describe()) for p in document.problems]


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "scripts").glob("*.cases.json")), ids=lambda path: path.name
)
def test_the_examples_load_without_problems(path: Path) -> None:
    document = load_cases(path.read_text(encoding="utf-8"))
    assert document.problems == []
    assert document.cases


def test_a_misspelt_expectation_names_the_case_the_key_and_the_known_keys() -> None:
    text = '{\n  "cases": [\n    {"name": "greets", "expect": {"exit_cod": 1}}\n  ]\n}\n'
    ((line, column, message),) = problems(text)
    assert (line, column) == (2, text.splitlines()[2].index('"exit_cod"'))
    assert message.startswith('case "greets": expect.exit_cod: unknown key (known: success,')


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"inputs": {}}, 'case "#1": name: missing: it is required'),
        ({"name": ""}, 'case "#1": name: must not be empty (got "")'),
        ({"name": "a", "inputs": [1]}, 'case "a": inputs: expected a JSON object'),
        ({"name": "a", "timeout_ms": 0}, 'case "a": timeout_ms: must be 1 or more (got 0)'),
        (
            {"name": "a", "expect": {"exit_code": 1.0}},
            'case "a": expect.exit_code: expected a whole number (got 1.0)',
        ),
        (
            {"name": "a", "expect": {"success": "true"}},
            'case "a": expect.success: expected true or false (got "true")',
        ),
        (
            {"name": "a", "expect": {"output": None}},
            'case "a": expect.output: null is not a value here: leave the key out',
        ),
        (
            {"name": "a", "expect": {"stderr": {"matches": "("}}},
            'case "a": expect.stderr: not a valid regular expression',
        ),
        (
            {"name": "a", "placeholders": {"a..b": "uuid"}},
            'case "a": placeholders["a..b"]: not a path: a key is missing',
        ),
        (
            {"name": "a", "placeholders": {"at": "date"}},
            'case "a": placeholders.at: expected one '
            "of any, string, number, integer, boolean, timestamp, uuid",
        ),
        (
            {"name": "a", "inputs": {}, "inputs_file": "x.json"},
            'case "a": inputs_file: give inputs or inputs_file, not both',
        ),
        (
            {"name": "a", "expect": {"output": {}, "output_includes": {}}},
            'case "a": expect.output_includes: give output or output_includes, not both',
        ),
    ],
)
def test_each_mistake_is_one_clear_problem(case: dict[str, object], message: str) -> None:
    ((_, _, found),) = problems(json.dumps({"cases": [case]}))
    assert found.startswith(message), found


def test_two_cases_with_one_name_point_at_the_second() -> None:
    text = '{"cases": [{"name": "a"},\n{"name": "a"}]}'
    assert problems(text) == [
        (1, 9, 'case "a": name: another case has this name (#1): names must be unique')
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", 'expected a JSON object: {"cases": [...]}'),
        ("{}", "cases: missing: it is required"),
        ('{"case": []}', "case: unknown key (known: $schema, placeholders, timeout_ms, cases)"),
        ('{"cases": [}', "not valid JSON: expected a value"),
    ],
)
def test_a_file_that_is_not_a_list_of_cases(text: str, message: str) -> None:
    found = [item[2] for item in problems(text)]
    assert any(item.startswith(message) for item in found), found


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = json.dumps({"cases": [{"name": "a", "expect": {"x": 1}}, {"name": "b", "inputs": 3}]})
    assert [message.split(":")[0] for _, _, message in problems(text)] == ['case "a"', 'case "b"']


def test_a_valid_file_merges_the_files_placeholders_with_the_cases() -> None:
    text = json.dumps(
        {
            "$schema": "cases.schema.json",
            "placeholders": {"id": "uuid", "at": "timestamp"},
            "cases": [{"name": "a", "placeholders": {"at": "string", "n": {"matches": "\\d+"}}}],
        }
    )
    document = load_cases(text)
    assert document.problems == []
    merged = document.placeholders_for(document.cases[0])
    assert {path: p.kind for path, p in merged.items()} == {
        "id": "uuid",
        "at": "string",
        "n": "matches",
    }
