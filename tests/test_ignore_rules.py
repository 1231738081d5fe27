"""The lines of an ignore file decide as pathspec's GitIgnoreSpec decides (negations, lines
for directories, a path matched itself winning over a directory above it), in linear time."""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from scriptcontract.check.ignore_rules import IgnoreRules
from tests.backtracking import re_is_held

LINE_PARTS = ["a", "b", "/", "*", "**", "?", "!", "\\", "[a-b]", "[!a]", ".", "x/", "#", " ", "]"]
NAMES = ["a", "b", "ab", "ba", "x", "aa", ".a", "a b", "[a]"]


def _pathspec_reads(line: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # re's FutureWarning on `[[`-like classes
        try:
            GitIgnoreSpecPattern(line)
        except ValueError:
            return False
    return True


LINES = st.lists(st.sampled_from(LINE_PARTS), min_size=1, max_size=5).map("".join)
PATHS = st.tuples(
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=4).map("/".join),
    st.sampled_from(["", "/"]),  # a directory's path ends in /
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(LINES.filter(_pathspec_reads), min_size=1, max_size=5), st.lists(PATHS, max_size=6))
def test_ignore_lines_decide_as_gitignorespec(lines: list[str], paths: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = GitIgnoreSpec.from_lines(lines)
    rules = IgnoreRules(lines, Path("."))
    for path in paths:
        assert rules.include(path) is spec.check_file(path).include, (lines, path)


@pytest.mark.parametrize(
    ("lines", "path", "expected"),
    [
        (["build/"], "build/out.py", True),
        (["build/"], "build", None),  # a line for directories leaves a file of that name
        (["*.py", "!keep.py"], "keep.py", False),
        (["!keep.py", "*.py"], "keep.py", True),  # the last line that matches wins
        # A line matching the path itself wins over a later one matching only a directory.
        (["!a/b", "a"], "a/b", False),
        (["a/b", "!a"], "a/b", True),
        (["A.py"], "a.py", None),  # case-sensitive, as git on Linux
    ],
)
def test_known_decisions(lines: list[str], path: str, expected: bool | None) -> None:
    assert GitIgnoreSpec.from_lines(lines).check_file(path).include is expected  # the control
    assert IgnoreRules(lines, Path(".")).include(path) is expected


def test_a_line_that_holds_re_is_matched_at_once() -> None:
    line, name = "*a" * 8 + "*b", "a" * 200
    expression = GitIgnoreSpecPattern(line).regex
    assert expression is not None and re_is_held(str(expression.pattern), name)  # the control
    rules = IgnoreRules([line], Path("."))
    started = time.process_time()  # CPU time: backtracking counts, a busy machine does not
    assert rules.include(name) is None
    assert rules.include(f"sub/{name}b") is True
    assert time.process_time() - started < 1.0


def test_a_line_pathspec_refuses_matches_nothing_and_is_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        rules = IgnoreRules(["!", "tmp_*", "trailing\\"], Path("top"))
    assert rules.include("tmp_1") is True
    assert rules.include("!") is None
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 2, said
    assert "ignoring the line '!' of the ignore files in top" in said[0], said
