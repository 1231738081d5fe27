"""Regular expressions from files a run could have written, matched with a time limit.

A cases file sits beside its script, where runs may write, and its `matches` patterns and
placeholder patterns are matched outside the sandbox against what a run wrote (its stderr,
its error, values of its output). Python's `re` has no time limit and holds the interpreter
while it backtracks: a planted `^(a+)+$` and the stderr that defeats it would hold
`scriptcontract test`, or the language server, for good. Even without a repetition,
alternatives in a row (`(a|a)(a|a)...`) backtrack exponentially. So every pattern but plain
text is matched in a child process that is killed when its time is up; plain text (no
character that means anything to `re`) is looked for here, at once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

MATCH_SECONDS = 2.0
_SPECIAL = frozenset(".^$*+?{}[]\\|()")
_CHILD = (
    "import json, re, sys\n"
    "pattern, text, whole = json.load(sys.stdin)\n"
    "match = (re.fullmatch if whole else re.search)(pattern, text)\n"
    "sys.stdout.write('1' if match else '0')\n"
)


class PatternTooSlow(Exception):
    """The pattern was still being matched when its time was up."""

    def __init__(self, pattern: str) -> None:
        super().__init__(
            f"the pattern /{pattern}/ was still being matched after {MATCH_SECONDS:g} s "
            "(a repetition inside a repetition, such as (a+)+, can take for ever): not matched"
        )


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text` (`re.search`); raises `PatternTooSlow`."""
    return _matches(pattern, text, whole=False)


def fullmatch(pattern: str, text: str) -> bool:
    """Whether `pattern` matches the whole of `text` (`re.fullmatch`); raises `PatternTooSlow`."""
    return _matches(pattern, text, whole=True)


def _matches(pattern: str, text: str, *, whole: bool) -> bool:
    if _SPECIAL.isdisjoint(pattern):
        return pattern == text if whole else pattern in text
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _CHILD],
            input=json.dumps([pattern, text, whole]),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogatepass",
            timeout=MATCH_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PatternTooSlow(pattern) from None
    if done.stdout not in ("0", "1"):
        # The pattern compiled here (the cases file was checked) but not there: say so.
        raise re.error(f"the pattern /{pattern}/ could not be matched: {done.stderr.strip()}")
    return done.stdout == "1"


class BoundedRe:
    """What jsonschema calls on its module `re` to match a schema's `pattern` and
    `patternProperties`, bounded as above (compiling stays `re`'s: it does not backtrack).
    jsonschema has no hook for a regular-expression engine; `bound_jsonschema` puts this
    in place of `re` in the modules that match with it."""

    compile = staticmethod(re.compile)
    error = re.error

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> bool:
        if flags:
            raise ValueError("bounded matching takes no flags")
        return _matches(pattern, string, whole=False)


_JSONSCHEMA_MODULES = ("jsonschema._keywords", "jsonschema._utils", "jsonschema._legacy_keywords")


def bound_jsonschema() -> None:
    """Have jsonschema match schemas' patterns with a time limit (a second call changes
    nothing). `tests/cli/test_planted_schema_pattern.py` fails if a jsonschema release
    matches them some other way."""
    import importlib

    for name in _JSONSCHEMA_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "re", None) is re:
            module.re = BoundedRe  # type: ignore[attr-defined]
