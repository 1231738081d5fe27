"""Regular expressions of key names, matched in time linear in the name, whatever the pattern.

`input-path-keys` comes from a configuration file, which a run can write (a
`scriptcontract.toml` planted in `scripts/`), and is matched against names a script or its
inputs choose: by the analysis on every keystroke, by `check` in CI, and by the executor
before each run, outside the sandbox. Python's `re` backtracks: `^(a+)+$`, or forty
`(a|a)` in a row, and a name of forty `a` and a `!` would hold any of them for good. The
analysis may not hand the match to a child process with a time limit (`text_patterns`
does), so the pattern is matched here instead, by a machine that follows every way through
the pattern at once (Thompson's construction): each character of the name is looked at
once, against at most every step of the pattern. No pattern can take longer.

The price is the syntax: what such a machine cannot do, and what a key name does not need,
is refused with a message that says so: lookarounds, backreferences, conditionals, atomic
groups, possessive repetitions, flags (but a leading `(?i)`), and escapes other than the
classes (`\\d`, `\\w`, `\\s` and their negations), `\\A`, `\\Z`, `\\b`, `\\B`, `\\n`, `\\t`
and a character that means something to `re` (`\\.`). Matching is case-insensitive, as
the setting has always been.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache

# The largest compiled pattern and repetition count: a name pattern needs far less, and
# `(?:a{100}){100}` must not compile to a machine of 10,000 steps per character.
MAX_STEPS = 2_000
MAX_REPEAT = 100
# What one pattern keeps of the states and moves it met (then it starts again): a few MB.
_STATE_LIMIT = 2_000
_MOVE_LIMIT = 50_000
_MIDDLE: tuple[bool, ...] = (False, False, False)

_COUNTS = re.compile(r"\{([0-9]*)(?:,([0-9]*))?\}")
_UNSUPPORTED_GROUP = (
    "lookarounds, backreferences, conditionals, atomic groups and flags are not supported "
    "in key patterns"
)


class UnsupportedPattern(ValueError):
    """The pattern is not one a key pattern may be: why, in the user's words."""


CharTest = Callable[[str], bool]
# A step of the machine: ("char", test) consumes one character; ("split", a, b) and
# ("jump", a) move without consuming; ("assert", kind) holds where the text around allows;
# ("match",) ends.
Step = tuple[object, ...]


def _folded(test: CharTest) -> CharTest:
    return lambda ch: test(ch) or test(ch.lower()) or test(ch.upper())


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_CLASSES: dict[str, CharTest] = {
    "d": str.isdecimal,
    "D": lambda ch: not ch.isdecimal(),
    "w": _is_word,
    "W": lambda ch: not _is_word(ch),
    "s": str.isspace,
    "S": lambda ch: not ch.isspace(),
}
_LITERAL_ESCAPES = {"n": "\n", "t": "\t"}
_ASSERTIONS = {"A": "begin", "Z": "end", "b": "boundary", "B": "inside"}


class _Parser:
    """Pattern text to a tree: ("seq", [...]), ("alt", [...]), ("char", test),
    ("repeat", low, high, node) with high None for no limit, ("assert", kind)."""

    def __init__(self, pattern: str, *, ignore_case: bool = True) -> None:
        self.text = pattern
        self.at = 0
        self.ignore_case = ignore_case

    def parse(self) -> tuple[object, ...]:
        if self.ignore_case and self.text.startswith("(?i)"):  # what matching does anyway
            self.at = 4
        node = self._alternatives()
        if self.at < len(self.text):
            raise UnsupportedPattern(f"unbalanced parenthesis at position {self.at}")
        return node

    def _peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def _alternatives(self) -> tuple[object, ...]:
        options = [self._sequence()]
        while self._peek() == "|":
            self.at += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else ("alt", options)

    def _sequence(self) -> tuple[object, ...]:
        items: list[tuple[object, ...]] = []
        while self._peek() not in ("", "|", ")"):
            atom = self._atom()
            repeat = self._repetition()
            if repeat is not None:
                if atom[0] == "assert":
                    raise UnsupportedPattern(f"nothing to repeat at position {self.at}")
                atom = ("repeat", repeat[0], repeat[1], atom)
                if self._peek() == "?":  # lazy: the same names match
                    self.at += 1
                if self._peek() and self._peek() in "*+?{" and self._repetition(peek=True):
                    raise UnsupportedPattern(
                        f"a repetition of a repetition at position {self.at} "
                        "(possessive repetitions are not supported either)"
                    )
            items.append(atom)
        return ("seq", items)

    def _repetition(self, *, peek: bool = False) -> tuple[int, int | None] | None:
        ch = self._peek()
        found: tuple[int, int | None] | None = None
        width = 1
        if ch == "*":
            found = (0, None)
        elif ch == "+":
            found = (1, None)
        elif ch == "?":
            found = (0, 1)
        elif ch == "{":
            # As `re` reads it: `{m}`, `{m,}`, `{,n}`, `{m,n}` and `{,}`; anything else
            # (`{}`, `{x`) is the character itself.
            shape = _COUNTS.match(self.text, self.at)
            if shape is not None and (shape.group(1) or shape.group(2) is not None):
                low, high = shape.group(1), shape.group(2)
                found = (int(low or "0"), int(high) if high else (None if high == "" else int(low)))
                width = shape.end() - self.at
        if found is None or peek:
            return found
        low_count, high_count = found
        if max(low_count, high_count or 0) > MAX_REPEAT:
            raise UnsupportedPattern(f"a repetition count over {MAX_REPEAT} at position {self.at}")
        if high_count is not None and high_count < low_count:
            raise UnsupportedPattern(f"min repeat greater than max repeat at position {self.at}")
        self.at += width
        return found

    def _atom(self) -> tuple[object, ...]:
        ch = self._peek()
        start = self.at
        if ch in "*+?" or (ch == "{" and self._repetition(peek=True) is not None):
            raise UnsupportedPattern(f"nothing to repeat at position {start}")
        self.at += 1
        if ch == "(":
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif self.text.startswith("?P<", self.at):
                close = self.text.find(">", self.at)
                name = self.text[self.at + 3 : close] if close > 0 else ""
                if not name.isidentifier():
                    raise UnsupportedPattern(f"bad group name at position {start}")
                self.at = close + 1
            elif self._peek() == "?":
                raise UnsupportedPattern(f"{_UNSUPPORTED_GROUP} (position {start})")
            inner = self._alternatives()
            if self._peek() != ")":
                raise UnsupportedPattern(f"missing ), unterminated subpattern at position {start}")
            self.at += 1
            return inner
        if ch == "^":
            return ("assert", "begin")
        if ch == "$":
            return ("assert", "dollar")
        if ch == ".":
            return ("char", lambda c: c != "\n")
        if ch == "[":
            return ("char", self._class(start))
        if ch == "\\":
            return self._escape(start, in_class=False)
        return ("char", self._literal(ch))

    def _literal(self, ch: str) -> CharTest:
        same: CharTest = ch.__eq__
        return _folded(same) if self.ignore_case else same

    def _escape(self, start: int, *, in_class: bool) -> tuple[object, ...]:
        ch = self._peek()
        if not ch:
            raise UnsupportedPattern("bad escape (end of pattern)")
        self.at += 1
        if ch in _CLASSES:
            return ("char", _CLASSES[ch])
        if ch in _LITERAL_ESCAPES:
            return ("char", self._literal(_LITERAL_ESCAPES[ch]))
        if ch in _ASSERTIONS and not in_class:
            return ("assert", _ASSERTIONS[ch])
        if not ch.isascii() or not ch.isalnum():
            return ("char", self._literal(ch))
        raise UnsupportedPattern(
            f"the escape \\{ch} at position {start} is not supported in key patterns"
        )

    def _class(self, start: int) -> CharTest:
        negate = self._peek() == "^"
        if negate:
            self.at += 1
        tests: list[CharTest] = []
        first = True
        while True:
            ch = self._peek()
            if not ch:
                raise UnsupportedPattern(f"unterminated character set at position {start}")
            if ch == "]" and not first:
                self.at += 1
                break
            first = False
            low = self._class_item(start)
            if self._peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                high = self._class_item(start)
                if not (isinstance(low, str) and isinstance(high, str)):
                    raise UnsupportedPattern(f"bad character range at position {start}")
                if high < low:
                    raise UnsupportedPattern(f"bad character range at position {start}")
                tests.append(_in_range(low, high))
            elif isinstance(low, str):
                tests.append(low.__eq__)
            else:
                tests.append(low)
        listed: CharTest = lambda c: any(test(c) for test in tests)  # noqa: E731
        inside = _folded(listed) if self.ignore_case else listed
        return (lambda c: not inside(c)) if negate else inside

    def _class_item(self, start: int) -> str | CharTest:
        """One character of a class, or the test of a class escape (`\\d`)."""
        ch = self._peek()
        self.at += 1
        if ch != "\\":
            return ch
        escaped = self._peek()
        if escaped in _CLASSES:
            self.at += 1
            return _CLASSES[escaped]
        if escaped in _LITERAL_ESCAPES:
            self.at += 1
            return _LITERAL_ESCAPES[escaped]
        if escaped and (not escaped.isascii() or not escaped.isalnum()):
            self.at += 1
            return escaped
        raise UnsupportedPattern(
            f"the escape \\{escaped} at position {self.at - 1} is not supported in key patterns"
        )


def _in_range(low: str, high: str) -> CharTest:
    return lambda c: low <= c <= high


class _Compiler:
    def __init__(self) -> None:
        self.steps: list[list[object]] = []

    def emit(self, *step: object) -> int:
        if len(self.steps) >= MAX_STEPS:
            raise UnsupportedPattern(
                f"the pattern is too large (over {MAX_STEPS} steps once its repetitions are "
                "written out)"
            )
        self.steps.append(list(step))
        return len(self.steps) - 1

    def node(self, node: tuple[object, ...]) -> None:
        kind = node[0]
        if kind == "seq":
            for item in node[1]:  # type: ignore[attr-defined]
                self.node(item)
        elif kind == "char" or kind == "assert":
            self.emit(*node)
        elif kind == "alt":
            options: list[tuple[object, ...]] = node[1]  # type: ignore[assignment]
            jumps: list[int] = []
            for option in options[:-1]:
                split = self.emit("split", 0, 0)
                self.steps[split][1] = len(self.steps)
                self.node(option)
                jumps.append(self.emit("jump", 0))
                self.steps[split][2] = len(self.steps)
            self.node(options[-1])
            for jump in jumps:
                self.steps[jump][1] = len(self.steps)
        else:  # repeat
            _, low, high, inner = node
            for _ in range(low):  # type: ignore[call-overload]
                self.node(inner)  # type: ignore[arg-type]
            if high is None:
                split = self.emit("split", 0, 0)
                self.steps[split][1] = len(self.steps)
                self.node(inner)  # type: ignore[arg-type]
                self.emit("jump", split)
                self.steps[split][2] = len(self.steps)
                return
            ends: list[int] = []
            for _ in range(high - low):  # type: ignore[operator]
                split = self.emit("split", 0, 0)
                self.steps[split][1] = len(self.steps)
                ends.append(split)
                self.node(inner)  # type: ignore[arg-type]
            for split in ends:
                self.steps[split][2] = len(self.steps)


class _Table:
    """The states a pattern's search has met (sets of steps, numbered) and the moves
    between them: learnt once, then one lookup per character."""

    def __init__(self) -> None:
        self.ids: dict[frozenset[int], int] = {}
        self.states: list[frozenset[int]] = []
        self.moves: list[dict[object, int]] = []
        self.verdicts: list[int] = []  # 1: matched, -1: no way on, 0: on
        self.learnt = 0  # moves, all states together
        self.starts: dict[tuple[bool, ...], int] = {}  # by what the start sees


class KeyPattern:
    """A compiled key pattern: `search(name)` as `re.search(pattern, name, re.IGNORECASE)`
    answers, in time linear in the name. Raises `UnsupportedPattern` for what it cannot
    match so.

    `ignore_case=False`: as `re.search(pattern, name)` answers, for the paths that globs
    and ignore files match (the same machine, the same linear time)."""

    def __init__(self, pattern: str, *, ignore_case: bool = True) -> None:
        self.pattern = pattern
        compiler = _Compiler()
        compiler.node(_Parser(pattern, ignore_case=ignore_case).parse())
        compiler.emit("match")
        self._steps: list[Step] = [tuple(step) for step in compiler.steps]
        kinds = {step[1] for step in self._steps if step[0] == "assert"}
        self._words = bool(kinds & {"boundary", "inside"})
        self._match = len(self._steps) - 1  # the last step
        self._lock = threading.Lock()
        self._table = _Table()
        # Whether a match can start past the first character: not for `^...`, so a name
        # the pattern has lost hold of is given up at once.
        self._restarts = any(self._closure((0,), context) for context in self._middle_contexts())

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`."""
        table, first = self._table, self._context(text, 0)
        state = table.starts.get(first)
        if state is None:
            table, state = self._enter(table, self._closure((0,), first))
            table.starts[first] = state
        verdicts, moves, restarts = table.verdicts, table.moves, self._restarts
        # Away from the ends, and without `\b`, what the assertions see is the same: the
        # character alone leads from one state to the next.
        plain_until = -1 if self._words else len(text) - 2
        for at, ch in enumerate(text):
            verdict = verdicts[state]
            if verdict:
                if verdict > 0:
                    return True
                if not restarts:
                    return False
            key: object
            if at + 1 < plain_until:
                context, key = _MIDDLE, ch
            else:
                context = self._context(text, at + 1)
                key = (ch, context)
            following = moves[state].get(key)
            if following is None:
                table, following = self._move(table, state, ch, context, key)
                verdicts, moves = table.verdicts, table.moves
            state = following
        return verdicts[state] > 0

    def _move(
        self, table: _Table, state: int, ch: str, context: tuple[bool, ...], key: object
    ) -> tuple[_Table, int]:
        """The state after `ch` from `state`, learnt and kept (in a new table when this one
        is full: the states of a pattern can be exponentially many, and the characters of
        names are any Unicode)."""
        steps = self._steps
        moved = [
            pc + 1
            for pc in table.states[state]
            if steps[pc][0] == "char" and steps[pc][1](ch)  # type: ignore[operator]
        ]
        following = self._closure((*moved, 0), context)
        with self._lock:
            if len(table.states) >= _STATE_LIMIT or table.learnt >= _MOVE_LIMIT:
                table = self._table = _Table()
                return self._enter(table, following, locked=True)
            _, found = self._enter(table, following, locked=True)
            table.moves[state][key] = found
            table.learnt += 1
        return table, found

    def _enter(
        self, table: _Table, state: frozenset[int], *, locked: bool = False
    ) -> tuple[_Table, int]:
        found = table.ids.get(state)
        if found is not None:
            return table, found
        if not locked:
            with self._lock:
                return self._enter(table, state, locked=True)
        found = len(table.states)
        table.states.append(state)
        table.moves.append({})
        table.verdicts.append(1 if self._match in state else (-1 if not state else 0))
        table.ids[state] = found
        return table, found

    def _context(self, text: str, at: int) -> tuple[bool, ...]:
        """What the assertions can see at `at`: the start, the end, the end but a final
        line break, and (only when the pattern has `\\b` or `\\B`) the word characters
        before and after."""
        end = len(text)
        before_final_newline = at == end - 1 and text[at] == "\n"
        if not self._words:
            return (at == 0, at == end, before_final_newline)
        before = at > 0 and _is_word(text[at - 1])
        after = at < end and _is_word(text[at])
        return (at == 0, at == end, before_final_newline, before, after)

    def _middle_contexts(self) -> list[tuple[bool, ...]]:
        base = [(False, end, final) for end in (False, True) for final in (False, True)]
        if not self._words:
            return list(base)
        sides = [(before, after) for before in (False, True) for after in (False, True)]
        return [(*b, *side) for b in base for side in sides]

    def _closure(self, start: tuple[int, ...], context: tuple[bool, ...]) -> frozenset[int]:
        """The steps that wait on a character (or end), reached from `start` without one."""
        at_begin, at_end, before_final_newline = context[:3]
        seen: set[int] = set()
        waiting: set[int] = set()
        todo = list(start)
        while todo:
            pc = todo.pop()
            if pc in seen:
                continue
            seen.add(pc)
            step = self._steps[pc]
            kind = step[0]
            if kind == "split":
                todo.extend((step[2], step[1]))  # type: ignore[arg-type]
            elif kind == "jump":
                todo.append(step[1])  # type: ignore[arg-type]
            elif kind == "assert":
                if _holds(step[1], at_begin, at_end, before_final_newline, context[3:]):
                    todo.append(pc + 1)
            else:
                waiting.add(pc)
        return frozenset(waiting)


def _holds(
    kind: object, at_begin: bool, at_end: bool, before_final_newline: bool, words: tuple[bool, ...]
) -> bool:
    if kind == "begin":
        return at_begin
    if kind == "end":
        return at_end
    if kind == "dollar":
        return at_end or before_final_newline
    boundary = words[0] != words[1]
    if kind == "boundary":
        return boundary
    return not boundary and not (at_begin and at_end)  # as `re`: \B fails in an empty text


@lru_cache(maxsize=64)
def key_pattern(pattern: str) -> KeyPattern:
    """The compiled pattern, kept: the analysis asks for it on every keystroke."""
    return KeyPattern(pattern)


def key_pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a key pattern, or None."""
    try:
        key_pattern(pattern)
    except UnsupportedPattern as exc:
        return str(exc)
    return None
