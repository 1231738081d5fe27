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
import select
import subprocess
import sys
import threading

MATCH_SECONDS = 2.0
_SPECIAL = frozenset(".^$*+?{}[]\\|()")
# The matcher: one request per line ([pattern, text, whole] as ASCII JSON), one answer per
# line ("1", "0", or "E" and why the pattern did not compile).
_CHILD = (
    "import json, re, sys\n"
    "for line in sys.stdin:\n"
    "    pattern, text, whole = json.loads(line)\n"
    "    try:\n"
    "        found = (re.fullmatch if whole else re.search)(pattern, text) is not None\n"
    "        answer = '1' if found else '0'\n"
    "    except re.error as exc:\n"
    "        answer = 'E' + str(exc).replace('\\n', ' ')\n"
    "    sys.stdout.write(answer + '\\n')\n"
    "    sys.stdout.flush()\n"
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
    return _MATCHER.matches(pattern, text, whole)


class _Matcher:
    """The child process patterns are matched in, kept between matches (starting one costs
    ~15 ms: a cases file of 50 patterns took a second) and replaced when a match runs out of
    time. One match at a time: the server asks from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None

    def matches(self, pattern: str, text: str, whole: bool) -> bool:
        request = json.dumps([pattern, text, whole]) + "\n"  # ASCII: any text goes through
        with self._lock:
            for attempt in range(2):
                process = self._process or self._start()
                try:
                    assert process.stdin is not None
                    process.stdin.write(request)
                    process.stdin.flush()
                    break
                except OSError:  # it died (killed from outside): once more, with a new one
                    self._stop()
                    if attempt:
                        raise
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], MATCH_SECONDS)
            answer = process.stdout.readline().rstrip("\n") if ready else ""
            if not ready or not answer:
                self._stop()
                if not ready:
                    raise PatternTooSlow(pattern)
                raise re.error(f"the pattern /{pattern}/ could not be matched: the matcher ended")
        if answer.startswith("E"):
            raise re.error(f"the pattern /{pattern}/ is not valid: {answer[1:]}")
        return answer == "1"

    def _start(self) -> subprocess.Popen[str]:
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="ascii",
        )
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


_MATCHER = _Matcher()


class BoundedRe:
    """What jsonschema calls on its module `re` to match a schema's `pattern` and
    `patternProperties` (`re.search`, nothing else), bounded as above. jsonschema has no
    hook for a regular-expression engine; `bound_jsonschema` puts this in place of `re` in
    the modules that match with it."""

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> bool:
        if flags:
            raise ValueError("bounded matching takes no flags")
        return search(pattern, string)


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
