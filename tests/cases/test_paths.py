"""Paths into the output: how they are shown, and placeholder patterns with wildcards."""

from __future__ import annotations

import pytest

from scriptcontract.cases.paths import Path, PathSyntaxError, parse_pattern, show


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), "output"),
        (("message",), "output.message"),
        (("items", 2, "id"), "output.items[2].id"),
        (("created at",), 'output["created at"]'),
        (("a.b", 0), 'output["a.b"][0]'),
    ],
)
def test_paths_are_shown_as_users_write_them(path: Path, shown: str) -> None:
    assert show(path, "output") == shown


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        ("id", [("id",)], [("ids",), ("a", "id"), ()]),
        ("items[*].id", [("items", 0, "id"), ("items", 9, "id")], [("items", "x", "id")]),
        ("items[1]", [("items", 1)], [("items", 0)]),
        ("*.id", [("a", "id"), ("b", "id")], [("id",), (0, "id")]),
        ("**.id", [("id",), ("a", "id"), ("a", 3, "b", "id")], [("a", "idx")]),
        ('meta["created at"]', [("meta", "created at")], [("meta", "created")]),
        ("a.**", [("a",), ("a", "b", 1)], [("b",)]),
    ],
)
def test_patterns_match_the_paths_they_say(
    pattern: str, matching: list[Path], not_matching: list[Path]
) -> None:
    parsed = parse_pattern(pattern)
    assert all(parsed.matches(path) for path in matching)
    assert not any(parsed.matches(path) for path in not_matching)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "an empty path"),
        ("a..b", "a key is missing before the '.'"),
        ("a.", "the path ends with a '.'"),
        (".a", "a key is missing before the '.'"),
        ("a[x]", "unexpected '['"),
        ("a .b", "quote keys with spaces"),
        ('a"b', "unexpected '\"'"),
    ],
)
def test_a_wrong_pattern_says_what_is_wrong(pattern: str, message: str) -> None:
    with pytest.raises(PathSyntaxError, match=message.replace("[", r"\[").replace(".", r"\.")):
        parse_pattern(pattern)
