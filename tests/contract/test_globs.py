"""The globs of `include`, `exclude` and `per-file-ignores` match as their translation to
`re` always has (anchored, case-sensitive, `**` across directories), in linear time."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.contract.globs import glob_problem, glob_to_regex, matches_any
from tests.backtracking import re_is_held

# What a user writes in a glob, and the characters that mean something to `re`.
GLOB_PARTS = ["a", "b", "A", "/", "*", "**", "**/", "?", ".", "py", "[", "]", "\\", "-", " ", "é"]
PATH_PARTS = ["a", "b", "A", "/", ".", "py", "aa", "[a]", "\\", "-", " ", "é", "\n", "./"]


def _matched_by_re(path: str, patterns: list[str]) -> bool:
    """How `matches_any` answered before: `re.match` of each glob's translation."""
    path = path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    return any(re.match(glob_to_regex(p.lstrip("/")), path) for p in patterns)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(GLOB_PARTS), max_size=7).map("".join), min_size=1, max_size=3
    ),
    st.lists(
        st.lists(st.sampled_from(PATH_PARTS), max_size=8).map("".join), min_size=1, max_size=5
    ),
)
def test_a_glob_matches_as_its_re_translation_did(globs: list[str], paths: list[str]) -> None:
    for glob in globs:
        assert glob_problem(glob) is None, glob  # every glob of this size is accepted
    for path in paths:
        assert matches_any(path, globs) is _matched_by_re(path, globs), (globs, path)


def test_globs_stay_case_sensitive() -> None:
    assert matches_any("scripts/job.py", ["scripts/**/*.py"])
    assert not matches_any("Scripts/job.py", ["scripts/**/*.py"])
    assert not matches_any("scripts/job.PY", ["scripts/**/*.py"])


def test_a_glob_that_holds_re_is_matched_at_once() -> None:
    glob, path = "**a" * 6 + "b.py", "scripts/" + "a" * 200 + ".py"
    assert re_is_held(glob_to_regex(glob), path)  # the control
    started = time.process_time()  # CPU time: backtracking counts, a busy machine does not
    assert not matches_any(path, [glob])
    assert matches_any(path[:-3] + "b.py", [glob])
    assert time.process_time() - started < 1.0  # linear: about a millisecond


def test_only_a_glob_too_large_to_match_is_refused() -> None:
    assert glob_problem("scripts/" + "x" * 1500 + "/*.py") is None
    problem = glob_problem("*/" * 800)
    assert problem is not None and "is too large" in problem, problem
