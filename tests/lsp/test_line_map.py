"""Lines of an older text mapped onto a newer one (results of a run the user typed through)."""

from __future__ import annotations

import pytest

from scriptcontract.contract.finding import Range
from scriptcontract.lsp.line_map import LineMap

OLD = ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (["a", "b", "c", "d"], [0, 1, 2, 3]),
        (["x", "y", "a", "b", "c", "d"], [2, 3, 4, 5]),  # lines added above
        (["a", "b", "C", "d"], [0, 1, 2, 3]),  # a line rewritten stays where it was
        (["a", "d"], [0, 1, 1, 1]),  # deleted lines go where the deletion was
        (["a", "b"], [0, 1, 2, 2]),  # past the end of the new text: left to the client's clamp
    ],
)
def test_each_old_line_lands_where_it_went(new: list[str], expected: list[int]) -> None:
    moved = LineMap(OLD, new)
    assert [moved.line(line) for line in range(len(OLD))] == expected


def test_a_range_keeps_its_columns_within_the_new_line_and_the_new_text() -> None:
    moved = LineMap(["# note", "abcdef"], ["# note", "abc"])
    assert moved.range(Range.of(1, 2, 1, 6)) == Range.of(1, 2, 1, 3)
    shorter = LineMap(OLD, ["a", "b"])
    assert shorter.range(Range.of(3, 0, 3, 1)) == Range.of(1, 0, 1, 1)
