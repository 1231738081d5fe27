"""Compare a run with a case's expectations: the differences, path by path.

JSON-aware: objects are compared key by key (in exact mode an extra key is a difference, with
`output_includes` it is not), arrays item by item, numbers by value (1 and 1.0 are the same
JSON number; true is not 1), and a value at a placeholder's path only has to be of its kind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from scriptcontract.cases.model import Case, Expectation, Placeholder, TextPattern
from scriptcontract.cases.paths import Path, parse_pattern, show
from scriptcontract.shown_values import first_line
from scriptcontract.text_patterns import PatternTooSlow, fullmatch

# A case whose output differs everywhere is still reported in a readable size.
MAX_DIFFERENCES = 50
_QUOTED = 80
_ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

Field = Literal["output", "success", "exit_code", "error", "error_type", "stderr", "timed_out"]
DifferenceKind = Literal["changed", "missing", "unexpected", "placeholder", "pattern"]


@dataclass(frozen=True)
class Actual:
    """What a run gave, as the cases see it (built from an `ExecutionResult`)."""

    success: bool
    output: dict[str, Any] | None = None
    exit_code: int | None = None
    error: str | None = None
    error_type: str | None = None
    error_kind: str | None = None
    stderr: str = ""
    timed_out: bool = False
    duration_ms: float = 0.0

    @property
    def started(self) -> bool:
        """False when the run never started (its path refused, no interpreter)."""
        return self.error_kind not in ("validation", "setup")


@dataclass(frozen=True)
class Difference:
    """One way the run differs from the case: where, how, what was expected, what came."""

    field: Field
    path: Path  # inside the output; () for the other fields
    kind: DifferenceKind
    expected: Any
    actual: Any

    @property
    def where(self) -> str:
        return show(self.path, self.field) if self.field == "output" else self.field

    def message(self) -> str:
        if self.field == "success":
            # Not `success: expected true`: beside the output's own `success` key, the line
            # read as that key said twice; it is the run's outcome (exit code and JSON).
            outcomes = ("a failure", "success")
            return f"run: expected {outcomes[self.expected]}, got {outcomes[self.actual]}"
        where = self.where
        if self.kind == "missing":
            return f"{where}: expected {_shown(self.expected)}, but it is missing"
        if self.kind == "unexpected":
            return f"{where}: not expected, but the run gave {_shown(self.actual)}"
        if self.kind == "placeholder":
            return f"{where}: expected {self.expected}, got {_shown(self.actual)}"
        if self.kind == "pattern":
            return f"{where}: expected a text {self.expected}, got {_shown(self.actual)}"
        return f"{where}: expected {_shown(self.expected)}, got {_shown(self.actual)}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…"


@dataclass(frozen=True)
class Verdict:
    differences: list[Difference]
    more: int = 0  # differences found past MAX_DIFFERENCES

    @property
    def passed(self) -> bool:
        return not self.differences

    def summary(self, actual: Actual) -> str:
        """The short outcome: "output differs", "exit code 2, expected 1", "timed out"."""
        if self.passed:
            return "passed"
        first = self.differences[0]
        if actual.timed_out and first.field in ("success", "output"):
            return first_line(actual.error or "timed out", 70)
        if first.field == "output":
            if actual.output is None and actual.started and not actual.success:
                return f"no JSON output: {first_line(actual.error or 'failed', 70)}"
            return "output differs"
        if first.field == "success":
            if actual.success:
                return "succeeded, expected a failure"
            error = actual.error or "no error message"
            if actual.error_type and actual.error_type not in error:
                # A script's `str(exc)` of a KeyError is the key alone: `failed: 'items'`.
                error = f"{actual.error_type}: {error}"
            return f"failed: {first_line(error, 70)}"
        if first.field == "exit_code":
            return f"exit code {actual.exit_code}, expected {first.expected}"
        return f"{first.field.replace('_', ' ')} differs"


class _Placeholders:
    def __init__(self, placeholders: dict[str, Placeholder]) -> None:
        self.items = [(parse_pattern(path), kind) for path, kind in placeholders.items()]

    def at(self, path: Path) -> Placeholder | None:
        for pattern, placeholder in self.items:
            if pattern.matches(path):
                return placeholder
        return None


def accepts(placeholder: Placeholder, value: Any) -> bool:
    """Whether `value` is of the placeholder's kind."""
    kind = placeholder.kind
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return is_number
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "timestamp":
        return is_number or (isinstance(value, str) and _ISO_TIMESTAMP.fullmatch(value) is not None)
    if kind == "uuid":
        return isinstance(value, str) and _UUID.fullmatch(value) is not None
    if not isinstance(value, str):
        return False
    try:
        return fullmatch(placeholder.pattern or "", value)
    except PatternTooSlow:
        return False  # as not matching: the difference names the pattern


def _verdict(pattern: TextPattern, text: str) -> str | None:
    """None when `text` is as the pattern wants; else what was expected, and why it was not
    found when the pattern ran out of time."""
    try:
        return None if pattern.accepts(text) else pattern.describe()
    except PatternTooSlow as exc:
        return f"{pattern.describe()} ({exc})"


def json_equal(expected: Any, actual: Any) -> bool:
    """Equal as JSON values: 1 == 1.0, but true != 1 and "1" != 1."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            json_equal(expected[k], actual[k]) for k in expected
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            json_equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    return type(expected) is type(actual) and bool(expected == actual)


class _Differ:
    def __init__(self, placeholders: dict[str, Placeholder], exact: bool) -> None:
        self.placeholders = _Placeholders(placeholders)
        self.exact = exact
        self.found: list[Difference] = []

    def add(self, path: Path, kind: DifferenceKind, expected: Any, actual: Any) -> None:
        self.found.append(Difference("output", path, kind, expected, actual))

    def compare(self, expected: Any, actual: Any, path: Path) -> None:
        placeholder = self.placeholders.at(path) if path else None
        if placeholder is not None:
            if not accepts(placeholder, actual):
                self.add(path, "placeholder", placeholder.describe(), actual)
            return
        if isinstance(expected, dict) and isinstance(actual, dict):
            for key, value in expected.items():
                if key in actual:
                    self.compare(value, actual[key], (*path, key))
                else:
                    self.add((*path, key), "missing", value, None)
            if self.exact:
                for key, value in actual.items():
                    if key not in expected:
                        self.add((*path, key), "unexpected", None, value)
            return
        if isinstance(expected, list) and isinstance(actual, list):
            for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
                self.compare(want, got, (*path, index))
            for index in range(len(actual), len(expected)):
                self.add((*path, index), "missing", expected[index], None)
            for index in range(len(expected), len(actual)):
                self.add((*path, index), "unexpected", None, actual[index])
            return
        if not json_equal(expected, actual):
            self.add(path, "changed", expected, actual)


def output_differences(
    expected: dict[str, Any],
    actual: dict[str, Any] | None,
    placeholders: dict[str, Placeholder],
    *,
    exact: bool,
) -> list[Difference]:
    if actual is None:
        return [Difference("output", (), "missing", expected, None)]
    differ = _Differ(placeholders, exact)
    differ.compare(expected, actual, ())
    return differ.found


def compare(case: Case, actual: Actual, placeholders: dict[str, Placeholder]) -> Verdict:
    """Every difference between the case's expectations and the run, most telling first."""
    expect: Expectation = case.expect
    found: list[Difference] = []
    wanted = expect.expects_success()
    if wanted != actual.success:
        found.append(Difference("success", (), "changed", wanted, actual.success))
    if expect.timed_out is not None and expect.timed_out != actual.timed_out:
        found.append(Difference("timed_out", (), "changed", expect.timed_out, actual.timed_out))
    if expect.exit_code is not None and expect.exit_code != actual.exit_code:
        found.append(Difference("exit_code", (), "changed", expect.exit_code, actual.exit_code))
    if expect.error_type is not None and expect.error_type != actual.error_type:
        found.append(Difference("error_type", (), "changed", expect.error_type, actual.error_type))
    if expect.error is not None:
        verdict = _verdict(expect.error, actual.error or "")
        if verdict is not None:
            found.append(Difference("error", (), "pattern", verdict, actual.error))
    if expect.stderr is not None:
        verdict = _verdict(expect.stderr, actual.stderr)
        if verdict is not None:
            found.append(Difference("stderr", (), "pattern", verdict, actual.stderr))
    if expect.output is not None or expect.output_includes is not None:
        exact = expect.output is not None
        wanted_output = expect.output if exact else expect.output_includes
        assert wanted_output is not None
        output = output_differences(wanted_output, actual.output, placeholders, exact=exact)
        # The output says most about what went wrong: it comes first, unless the run failed.
        found = output + found if actual.success else found + output
    more = max(0, len(found) - MAX_DIFFERENCES)
    return Verdict(found[:MAX_DIFFERENCES], more)
