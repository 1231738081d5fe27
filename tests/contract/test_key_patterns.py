"""Key patterns (`input-path-keys`) are matched as `re` matches them, in time linear in the
name, whatever the pattern; what cannot be matched so is refused, saying why."""

from __future__ import annotations

import random
import re
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.contract.key_patterns import MAX_STEPS, KeyPattern, UnsupportedPattern
from scriptcontract.contract.path_keys import PathKeys
from scriptcontract.contract.settings import DEFAULT_INPUT_PATH_KEYS
from tests.backtracking import ATTACKS, re_is_held

ATOMS = [
    "a", "b", "_", "A", "x", ".", r"\.", r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", "[ab]",
    "[^a]", "[a-c_]", "[]a]", "[a-]", r"[\d_]", "^", "$", r"\A", r"\Z", r"\b", r"\B", "{", "}",
    "{}", r"\n", r"\t", "-",
]  # fmt: skip
QUANTIFIERS = ["*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{,2}", "{2,}", "{,}"]


def _patterns() -> st.SearchStrategy[str]:
    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda p: f"({p[0]}|{p[1]})"),
            st.tuples(inner, st.sampled_from(QUANTIFIERS)).map(lambda p: f"(?:{p[0]}){p[1]}"),
            st.tuples(inner, st.sampled_from(QUANTIFIERS)).map("".join),
        )

    return st.recursive(st.sampled_from(ATOMS), grow, max_leaves=8)


NAMES = st.text(alphabet="ab_AB x1.\n{}]-\t", max_size=10)


@settings(max_examples=400, deadline=None)
@given(_patterns(), st.lists(NAMES, min_size=1, max_size=6))
def test_a_key_pattern_matches_as_re_does(pattern: str, names: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # re's FutureWarning on `[]a]`-like classes
        try:
            expected = re.compile(pattern, re.IGNORECASE)
        except re.error:
            with pytest.raises(UnsupportedPattern):
                KeyPattern(pattern)
            return
    try:
        compiled = KeyPattern(pattern)
    except UnsupportedPattern:
        return  # a valid `re` pattern beyond the subset (a repetition of a repetition)
    for name in names:
        assert compiled.search(name) is (expected.search(name) is not None), (pattern, name)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(?!)", "lookarounds"),
        ("^(?!tmp).*_ref$", "lookarounds"),
        ("(?<=a)b", "lookarounds"),
        (r"(a)\1", r"escape \1"),
        (r"\x41", r"escape \x"),
        ("(?>a+)", "atomic groups"),
        ("a*+", "possessive"),
        ("(?s).", "flags"),
        ("a{1000}", "repetition count over 100"),
        ("(?:(?:a{100}){100})", f"over {MAX_STEPS} steps"),
        ("(ab", "missing )"),
        ("+a", "nothing to repeat"),
    ],
)
def test_what_a_key_pattern_cannot_be_is_refused_saying_why(pattern: str, why: str) -> None:
    with pytest.raises(UnsupportedPattern, match=re.escape(why)):
        KeyPattern(pattern)


@pytest.mark.parametrize(("pattern", "name"), ATTACKS)
def test_a_pattern_that_backtracks_for_ever_is_answered_at_once(pattern: str, name: str) -> None:
    assert re_is_held(pattern, name)  # the control: `re` is held by this very pair
    started = time.process_time()  # CPU time: backtracking counts, a busy machine does not
    assert KeyPattern(pattern).search(name) is False
    assert KeyPattern(pattern).search(name.replace("!", "a")) is True
    assert time.process_time() - started < 1.0


def test_a_long_name_takes_time_linear_in_its_length() -> None:
    """The default pattern on a name of a million characters, the worst a 10 MiB inputs
    file holds ten of: well under a second (a backtracking `.*_` would be quadratic)."""
    pattern = KeyPattern(DEFAULT_INPUT_PATH_KEYS)
    started = time.process_time()  # CPU time: backtracking counts, a busy machine does not
    assert pattern.search("x_" * 500_000 + "file")
    assert not pattern.search("x_" * 500_000 + "note")
    assert time.process_time() - started < 5.0


@pytest.mark.parametrize("added", ["zzz", "^$", "^(a+)+$", "(a|a)" * 40])
def test_a_project_pattern_adds_keys_and_never_removes_the_default_ones(added: str) -> None:
    keys = PathKeys(added)
    for default in ("file", "input_file", "output_path", "data_dir", "source_folders"):
        assert keys.search(default), default
    assert not keys.search("note")


def test_a_project_pattern_adds_its_keys() -> None:
    keys = PathKeys("^(src|dst)$")
    assert keys.search("src") and keys.search("DST") and keys.search("input_file")
    assert not keys.search("source")


def test_a_pattern_with_more_states_than_are_kept_still_matches_as_re_does() -> None:
    """`(a|b)*a(a|b){12}` meets thousands of states on a long name: what is learnt is
    forgotten and learnt again, and the answers stay those of `re`, from several threads
    at once (the server analyses and runs in threads)."""
    pattern = "(?:a|b)*a(?:a|b){12}$"
    compiled, expected = KeyPattern(pattern), re.compile(pattern, re.IGNORECASE)
    generator = random.Random(7)
    names = ["".join(generator.choice("ab") for _ in range(3000)) + tail for tail in ("", "c")]
    names += ["b" * 2000 + "a" + "b" * 12, "b" * 2000 + "a" + "b" * 11]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(compiled.search, names * 4))
    assert found == [expected.search(name) is not None for name in names * 4]


@settings(max_examples=300, deadline=None)
@given(_patterns(), st.lists(NAMES, min_size=1, max_size=6))
def test_a_case_sensitive_pattern_matches_as_re_does_without_ignorecase(
    pattern: str, names: list[str]
) -> None:
    """The globs' and ignore files' matching: the same machine, letters kept apart."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = re.compile(pattern)
        except re.error:
            return
    try:
        compiled = KeyPattern(pattern, ignore_case=False)
    except UnsupportedPattern:
        return
    for name in names:
        assert compiled.search(name) is (expected.search(name) is not None), (pattern, name)
