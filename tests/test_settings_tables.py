"""Configuration tables are checked without pydantic, in the words pydantic used for them."""

from __future__ import annotations

from typing import Any

import pytest

from scriptcontract.config import config_from_table
from scriptcontract.contract.finding import Severity


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ({"include": "scripts"}, "include: Input should be a valid list (got 'scripts')"),
        ({"select": ["SCR1", 2]}, "select.1: Input should be a valid string (got 2)"),
        (
            {"per-file-ignores": {"a.py": "SCR1"}},
            "per-file-ignores.a.py: Input should be a valid list (got 'SCR1')",
        ),
        ({"severity": []}, "severity: Input should be a valid dictionary (got [])"),
        (
            {"severity": {"SCR1": "loud"}},
            "severity.SCR1: Input should be 'error', 'warning', 'information' or 'hint' "
            "(got 'loud')",
        ),
        ({"output": "text"}, "output: Input should be 'object' or 'json-lines' (got 'text')"),
        (
            {"timeout-ms": "soon"},
            "timeout-ms: Input should be a valid integer, unable to parse string as an integer "
            "(got 'soon')",
        ),
        (
            {"timeout-ms": 1.5},
            "timeout-ms: Input should be a valid integer, got a number with a fractional part "
            "(got 1.5)",
        ),
        ({"timeout-ms": 0}, "timeout-ms: Input should be greater than or equal to 1 (got 0)"),
        ({"timeout-ms": float("inf")}, "timeout-ms: Input should be a finite number (got inf)"),
        (
            {"target-version": "3.12\n"},
            "target-version: String should match pattern '^3\\.\\d{1,2}$' (got '3.12\\n')",
        ),
        (
            {"exit-codes": [1, 2]},
            "exit-codes: Value error, must include 0, the success code (got [1, 2])",
        ),
        (
            {"exit-codes": [0, 300]},
            "exit-codes: Value error, exit codes are 0 to 255 (got [0, 300])",
        ),
        ({"bogus": 1}, "bogus: unknown key"),
        ({"timeout-ms": 5, "timeout_ms": 6}, "timeout_ms: unknown key"),
    ],
)
def test_a_wrong_lint_key_is_named_with_what_was_expected_and_what_was_found(
    table: dict[str, Any], error: str
) -> None:
    config = config_from_table(table, "pyproject.toml")
    assert [str(e) for e in config.errors] == [f"pyproject.toml: [tool.scriptcontract] {error}"]


@pytest.mark.parametrize(
    ("section", "table", "error"),
    [
        ("sandbox", {"memory-mb": 8}, "memory-mb: Input should be greater than or equal to 16"),
        ("sandbox", {"network": "maybe"}, "network: Input should be a valid boolean, unable to"),
        ("sandbox", {"network": 0.5}, "network: Input should be a valid boolean (got 0.5)"),
        ("executor", {"python": ""}, "python: String should have at least 1 character (got '')"),
        ("executor", {"mode": "hot"}, "mode: Input should be 'auto', 'cold' or 'warm' (got 'hot')"),
        ("executor", {"env": {"A": 1}}, "env.A: Input should be a valid string (got 1)"),
    ],
)
def test_a_wrong_executor_or_sandbox_key_is_named_in_its_table(
    section: str, table: dict[str, Any], error: str
) -> None:
    config = config_from_table({section: table}, "scriptcontract.toml")
    [found] = [str(e) for e in config.errors]
    assert found.startswith(f"scriptcontract.toml: [{section}] {error}")


def test_values_are_taken_as_pydantic_took_them_and_wrong_ones_fall_back_alone() -> None:
    table = {
        "timeout_ms": " 1_500 ",  # the field's own name, an integer in a string
        "severity": {"SCR1": "hint"},
        "output": "loud",  # wrong: the default, the other keys kept
        "sandbox": {"network": "no", "memory-mb": 64.0},
    }
    config = config_from_table(table, "scriptcontract.toml")
    assert [e.key for e in config.errors] == ["output"]
    assert config.lint.timeout_ms == 1500
    assert config.lint.severity == {"SCR1": Severity.HINT}
    assert config.lint.output == "object"
    assert (config.sandbox.network, config.sandbox.memory_mb) == (False, 64)
