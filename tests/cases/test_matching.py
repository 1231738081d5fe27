"""A run against a case: the differences path by path, placeholders, the short outcome."""

from __future__ import annotations

from typing import Any

import pytest

from scriptcontract.cases.matching import Actual, compare, json_equal
from scriptcontract.cases.model import Case, Placeholder

OK = {"success": True, "message": "Hello, Ada!", "items": [{"id": 1}, {"id": 2}]}


def case(**expect: Any) -> Case:
    return Case.model_validate({"name": "c", "expect": expect})


def ran(output: Any = None, **fields: Any) -> Actual:
    fields.setdefault("success", True)
    fields.setdefault("exit_code", 0 if fields["success"] else 1)
    return Actual(output=output, **fields)


def differences(expected: Case, actual: Actual, **placeholders: str) -> list[str]:
    kinds = {path: Placeholder(kind) for path, kind in placeholders.items()}
    return [d.message() for d in compare(expected, actual, kinds).differences]


def test_an_equal_output_passes_and_a_different_one_says_where() -> None:
    assert differences(case(output=OK), ran(OK)) == []
    other = {**OK, "message": "Hello, Ada", "items": [{"id": 1}, {"id": 3}], "extra": True}
    assert differences(case(output=OK), ran(other)) == [
        'output.message: expected "Hello, Ada!", got "Hello, Ada"',
        "output.items[1].id: expected 2, got 3",
        "output.extra: not expected, but the run gave true",
    ]


def test_output_includes_compares_only_the_keys_given_at_any_depth() -> None:
    expected = case(output_includes={"items": [{"id": 1}, {}]})
    assert differences(expected, ran({**OK, "more": 1})) == []
    assert differences(expected, ran({**OK, "items": [{"id": 1}]})) == [
        "output.items[1]: expected {}, but it is missing"
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (0, False, False),
        ("1", 1, False),
        (None, None, True),
        ([1, [2]], [1.0, [2.0]], True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
    ],
)
def test_json_equality_is_by_value_and_kind(expected: Any, actual: Any, equal: bool) -> None:
    assert json_equal(expected, actual) is equal


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("uuid", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "1b4e28ba"),
        ("timestamp", "2026-12-04T20:51:00.123+00:00", "yesterday"),
        ("timestamp", 1733345460.5, True),
        ("number", 12.5, "12.5"),
        ("integer", 3, 3.5),
        ("string", "", None),
        ("boolean", False, 0),
        ("any", None, ...),
    ],
)
def test_a_placeholder_takes_any_value_of_its_kind(kind: str, good: Any, bad: Any) -> None:
    expected = case(output={"at": f"<{kind}>"})
    assert differences(expected, ran({"at": good}), at=kind) == []
    if bad is not ...:
        (message,) = differences(expected, ran({"at": bad}), at=kind)
        assert message.startswith("output.at: expected ")


def test_a_placeholder_path_with_wildcards_covers_every_item() -> None:
    expected = case(output={"items": [{"id": "<uuid>"}, {"id": "<uuid>"}]})
    actual = ran({"items": [{"id": "6f1c2f0e-6a7c-4c39-9a9e-6a5c7ee1c0de"}, {"id": 7}]})
    assert differences(expected, actual, **{"items[*].id": "uuid"}) == [
        "output.items[1].id: expected a UUID, got 7"
    ]


def test_a_placeholder_still_needs_its_key() -> None:
    assert differences(case(output={"at": "<timestamp>"}), ran({}), at="timestamp") == [
        'output.at: expected "<timestamp>", but it is missing'
    ]


def test_success_is_implied_by_what_the_case_expects() -> None:
    assert case().expect.expects_success()
    assert not case(exit_code=2).expect.expects_success()
    assert not case(error="boom").expect.expects_success()
    assert case(exit_code=0).expect.expects_success()
    failed = ran(None, success=False, error="boom", exit_code=1)
    assert differences(case(), failed) == ["run: expected success, got a failure"]
    assert differences(case(error="boom"), failed) == []
    assert differences(case(exit_code=1), ran(None)) == [
        "run: expected a failure, got success",
        "exit_code: expected 1, got 0",
    ]


def test_error_and_stderr_are_patterns() -> None:
    failed = ran(None, success=False, error="Unknown operation: x", stderr="warn 12\n")
    assert differences(case(error="operation", stderr={"matches": r"warn \d+"}), failed) == []
    assert differences(case(error={"matches": "^operation"}), failed) == [
        'error: expected a text matching /^operation/, got "Unknown operation: x"'
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "summary"),
    [
        (case(output=OK), ran({**OK, "message": "x"}), "output differs"),
        (
            case(output=OK),
            ran(None, success=False, error="Script exited with code 1"),
            "failed: Script exited with code 1",
        ),
        (
            case(output=OK),
            ran(None, success=False, error="'items'", error_type="KeyError"),
            "failed: KeyError: 'items'",
        ),
        (
            case(output=OK),
            ran(None, success=False, error="KeyError: 'items'", error_type="KeyError"),
            "failed: KeyError: 'items'",
        ),
        (
            case(exit_code=1),
            ran(None, success=False, exit_code=2, error="e"),
            "exit code 2, expected 1",
        ),
        (case(success=False), ran(OK), "succeeded, expected a failure"),
        (
            case(),
            ran(
                None, success=False, timed_out=True, error="Script execution timed out after 500ms"
            ),
            "Script execution timed out after 500ms",
        ),
        (case(stderr="x"), ran(OK), "stderr differs"),
    ],
)
def test_the_outcome_in_a_few_words(expected: Case, actual: Actual, summary: str) -> None:
    assert compare(expected, actual, {}).summary(actual) == summary


def test_a_flood_of_differences_is_cut_and_counted() -> None:
    expected = case(output={f"k{i}": i for i in range(80)})
    verdict = compare(expected, ran({f"k{i}": -i for i in range(1, 80)}), {})
    assert len(verdict.differences) == 50 and verdict.more == 30
