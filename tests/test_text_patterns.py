"""Patterns from files a run could have written, matched with a time limit (text_patterns)."""

from __future__ import annotations

import pytest

from scriptcontract.cases.matching import accepts
from scriptcontract.cases.model import Placeholder
from scriptcontract.text_patterns import PatternTooSlow, fullmatch, search

DEFEATS = "a" * 40 + "!"


@pytest.mark.parametrize(
    ("pattern", "text", "found", "whole"),
    [
        ("Traceback", "a Traceback here", True, False),  # plain text: looked for here
        ("Traceback", "nothing", False, False),
        ("abc", "abc", True, True),
        ("abc", "abcd", False, True),
        (r"Key\w+: 'name'", "KeyError: 'name'", True, False),  # in a child process
        (r"Key\w+: 'name'", "ValueError", False, False),
        (r"^a+$", DEFEATS, False, False),  # does not backtrack: answered at once
        (r"[0-9]{3}", "123", True, True),
        (r"[0-9]{3}", "1234", False, True),
        ("é+", "café", True, False),  # beyond ASCII, through the child's stdin
    ],
)
def test_a_pattern_matches_as_re_does(pattern: str, text: str, found: bool, whole: bool) -> None:
    assert (fullmatch if whole else search)(pattern, text) is found


def test_a_pattern_that_backtracks_for_ever_is_stopped_and_says_why() -> None:
    with pytest.raises(PatternTooSlow, match=r"/\^\(a\+\)\+\$/ was still being matched after 2 s"):
        search("^(a+)+$", DEFEATS)
    # Alternatives in a row backtrack too, without any repetition: 2**40 ways to fail.
    with pytest.raises(PatternTooSlow):
        fullmatch("(a|a)" * 40 + "b", "a" * 41)
    # The matcher that ran out of time was replaced: the next pattern is answered.
    assert search("a+b", "caab")


def test_a_placeholder_whose_pattern_runs_out_of_time_does_not_accept() -> None:
    assert accepts(Placeholder(kind="matches", pattern="^a+!$"), DEFEATS)  # the control
    assert not accepts(Placeholder(kind="matches", pattern="^(a+)+$"), DEFEATS)
