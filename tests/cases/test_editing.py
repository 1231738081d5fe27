"""Expectations rewritten from a run, and new cases from runs: in the file's own layout."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.cases.editing import (
    NotRecorded,
    add_case_edits,
    apply_edits,
    new_file_text,
    recorded_case,
    update_edits,
)
from scriptcontract.cases.loading import load_cases
from scriptcontract.cases.matching import Actual, compare
from scriptcontract.cases.model import Placeholder
from tests.cases.test_json_tree import JSON_VALUES

GREETING = """\
{
    "placeholders": {"at": "timestamp"},
    "cases": [
        {
            "name": "greets",
            "inputs": {"name": "Ada"},
            "expect": {
                "output": {
                    "message": "Hello, Ada!",
                    "at": "<timestamp>",
                    "counts": [1, 2, 3]
                }
            }
        },
        {"name": "untouched", "expect": {"success": true}}
    ]
}
"""


def ran(output: Any = None, **fields: Any) -> Actual:
    fields.setdefault("success", True)
    fields.setdefault("exit_code", 0 if fields["success"] else 1)
    return Actual(output=output, **fields)


def updated(text: str, index: int, actual: Actual) -> str:
    return apply_edits(text, update_edits(load_cases(text), index, actual))


def passes(text: str, index: int, actual: Actual) -> bool:
    document = load_cases(text)
    assert document.problems == [], document.problems
    case = document.cases[index]
    return compare(case, actual, document.placeholders_for(case)).passed


def test_only_the_values_that_differ_are_rewritten() -> None:
    actual = ran({"message": "Hello, Ada", "at": "2026-12-04T10:00:00Z", "counts": [1, 2, 4]})
    text = updated(GREETING, 0, actual)
    assert text == GREETING.replace('"Hello, Ada!"', '"Hello, Ada"').replace("3]", "4]")
    assert passes(text, 0, actual)


def test_a_passing_case_is_never_touched() -> None:
    assert update_edits(load_cases(GREETING), 1, ran({})) == []


def test_keys_keep_their_order_and_new_keys_come_last() -> None:
    actual = ran({"counts": [], "message": "Hi", "extra": {"a": 1}, "at": 5})
    text = updated(GREETING, 0, actual)
    output = load_cases(text).tree.find(("cases", 0, "expect", "output"))  # type: ignore[union-attr]
    assert output is not None
    assert [m.key for m in output.members] == ["message", "at", "counts", "extra"]
    assert '"at": "<timestamp>"' in text  # a placeholder's value is kept as it was
    assert passes(text, 0, actual)


def test_a_removed_key_goes_with_its_comma() -> None:
    actual = ran({"message": "Hello, Ada!", "at": "2026-12-04"})
    text = updated(GREETING, 0, actual)
    assert '"at": "<timestamp>"\n                }' in text
    assert passes(text, 0, actual)


def test_a_failure_is_recorded_in_the_keys_that_failed_and_success_is_added() -> None:
    failed = ran(None, success=False, error="Script exited with code 1", stderr="KeyError\n")
    text = updated(GREETING, 0, failed)
    expect = load_cases(text).tree.find(("cases", 0, "expect"))  # type: ignore[union-attr]
    assert expect is not None and expect.value == {"success": False}
    assert passes(text, 0, failed)


def test_each_failing_expectation_takes_the_runs_value() -> None:
    text = (
        '{"cases": [{"name": "c", "expect": {"exit_code": 2, "error": {"matches": "^x"}, '
        '"error_type": "KeyError", "stderr": "warn"}}]}'
    )
    failed = ran(
        None,
        success=False,
        exit_code=1,
        error="boom",
        error_type="ValueError",
        stderr="a\nlast words\n\n",
    )
    new = updated(text, 0, failed)
    assert json.loads(new)["cases"][0]["expect"] == {
        "exit_code": 1,
        "error": "boom",
        "error_type": "ValueError",
        "stderr": "last words",
    }
    assert passes(new, 0, failed)


def test_output_includes_stays_a_subset() -> None:
    text = '{"cases": [{"name": "c", "expect": {"output_includes": {"a": 1, "gone": 2}}}]}'
    actual = ran({"a": 3, "b": 4})
    new = updated(text, 0, actual)
    assert json.loads(new)["cases"][0]["expect"] == {"output_includes": {"a": 3}}
    assert passes(new, 0, actual)


def test_a_case_without_expect_gets_one() -> None:
    text = '{\n  "cases": [\n    {\n      "name": "c"\n    }\n  ]\n}\n'
    failed = ran(None, success=False, error="e")
    new = updated(text, 0, failed)
    assert new == (
        '{\n  "cases": [\n    {\n      "name": "c",\n'
        '      "expect": {"success": false}\n    }\n  ]\n}\n'
    )


def test_line_endings_and_tabs_are_the_files() -> None:
    text = (
        '{\r\n\t"cases": [\r\n\t\t{\r\n\t\t\t"name": "c",\r\n'
        '\t\t\t"expect": {"output": {}}\r\n\t\t}\r\n\t]\r\n}\r\n'
    )
    actual = ran({"items": ["a" * 40, "b" * 40, "c" * 40]})
    new = updated(text, 0, actual)
    assert "\n" not in new.replace("\r\n", "")
    assert '\r\n\t\t\t\t"items": [' in new or '"output": {"items"' in new
    assert passes(new, 0, actual)


def test_a_run_that_timed_out_or_never_started_is_not_recorded() -> None:
    document = load_cases(GREETING)
    with pytest.raises(NotRecorded, match="timed out"):
        update_edits(document, 0, ran(None, success=False, timed_out=True))
    with pytest.raises(NotRecorded, match="did not start"):
        update_edits(document, 0, ran(None, success=False, error="no python", error_kind="setup"))


OUTPUTS = st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=5)


@settings(max_examples=150, deadline=None)
@given(
    old=OUTPUTS,
    new=OUTPUTS,
    includes=st.booleans(),
    indent=st.sampled_from([None, 2, 4, "\t"]),
    success=st.booleans(),
)
def test_after_an_update_the_case_passes_and_the_rest_is_unchanged(
    old: dict[str, Any], new: dict[str, Any], includes: bool, indent: Any, success: bool
) -> None:
    key = "output_includes" if includes else "output"
    cases = [{"name": "other", "inputs": {"x": 1}}, {"name": "c", "expect": {key: old}}]
    text = json.dumps({"cases": cases}, indent=indent, ensure_ascii=False)
    actual = ran(new, success=success)
    result = updated(text, 1, actual)
    assert passes(result, 1, actual)
    first = load_cases(text).case_node(0)
    assert first is not None
    assert result[: first.end] == text[: first.end]


def test_a_recorded_case_expects_what_the_run_gave() -> None:
    actual = ran({"id": "x", "n": 1}, success=False, exit_code=3)
    case = recorded_case("c", {"a": 1}, actual, {})
    assert case == {
        "name": "c",
        "inputs": {"a": 1},
        "expect": {"success": False, "output": {"id": "x", "n": 1}, "exit_code": 3},
    }
    uuid = Placeholder("uuid")
    with_marker = recorded_case("c", {}, ran({"id": "x"}), {"id": uuid})
    assert with_marker["expect"]["output"] == {"id": "<uuid>"}
    assert recorded_case("c", {}, ran(None, success=False, error="boom"))["expect"] == {
        "success": False,
        "error": "boom",
    }


@pytest.mark.parametrize(
    "text",
    [
        '{"cases": []}',
        '{"cases": [{"name": "a"}]}',
        '{\n  "cases": [\n    {\n      "name": "a"\n    },\n'
        '    {\n      "name": "b"\n    }\n  ]\n}\n',
        '{"placeholders": {}}',
        "{}",
    ],
    ids=["empty", "one compact", "two spread", "no cases", "nothing"],
)
def test_a_case_is_appended_in_the_files_layout(text: str) -> None:
    actual = ran({"ok": True})
    case = recorded_case("new", {"q": 1}, actual)
    result = apply_edits(text, add_case_edits(load_cases(text), case))
    document = load_cases(result)
    assert document.problems == []
    assert document.cases[-1].name == "new"
    assert passes(result, len(document.cases) - 1, actual)
    if "\n" in text:
        assert '\n    {\n      "name": "new",' in result


def test_a_new_file_holds_the_one_case() -> None:
    text = new_file_text(recorded_case("first", {"name": "Ada"}, ran({"message": "Hi"})))
    assert text == (
        '{\n  "cases": [\n    {\n      "name": "first",\n      "inputs": {"name": "Ada"},\n'
        '      "expect": {"success": true, "output": {"message": "Hi"}}\n    }\n  ]\n}\n'
    )
