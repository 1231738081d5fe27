"""JSON text that may be half typed, as a tree that remembers where each key and value is.

The editor asks about an inputs file while it is being typed: an unclosed brace, a key
without its value, a missing comma are normal then. So this reader never raises: it keeps
every member it could read, records each problem with its offset, and goes on after it
(an unclosed object ends where the text ends; a member without a comma before it is still
a member). The strict reader of cases files (`cases.json_tree`) is for files that are run;
this one is for pointing at keys and offering them. Strings and numbers decode as
`json.loads` decodes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

MAX_DEPTH = 200
Kind = Literal["object", "array", "string", "number", "true", "false", "null"]
_LITERALS: dict[str, tuple[Kind, Any]] = {
    "true": ("true", True),
    "false": ("false", False),
    "null": ("null", None),
}
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"\Z')
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\Z")  # int() reads these as json.loads does
# A string ends at its closing quote, or unterminated at the end of its line.
_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\n\r]+)
    |(?P<punct>[{}\[\]:,])
    |(?P<string>"(?:[^"\\\n\r]|\\[^\n\r])*(?:"|\\?(?=[\n\r])|\\?\Z))
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # "{", "}", "[", "]", ":", ",", "string", "number", "word", "other"
    start: int
    end: int


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    start: int
    end: int


@dataclass
class Member:
    key: str
    key_start: int
    key_end: int
    value: Value | None = None  # None: not typed yet (`"name": ` or `"name"`)


@dataclass
class Value:
    """One JSON value and the span `[start, end)` of its text (an unclosed object or array
    ends where reading it stopped)."""

    kind: Kind
    start: int
    end: int
    scalar: Any = None
    members: list[Member] = field(default_factory=list)
    items: list[Value] = field(default_factory=list)
    closed: bool = True  # False: an object or array whose closing bracket is not typed yet

    def member(self, key: str) -> Member | None:
        return next((m for m in reversed(self.members) if m.key == key), None)

    def get(self, key: str | int) -> Value | None:
        if isinstance(key, int):
            return self.items[key] if self.kind == "array" and 0 <= key < len(self.items) else None
        found = self.member(key) if self.kind == "object" else None
        return found.value if found is not None else None

    def find(self, path: tuple[str | int, ...]) -> Value | None:
        node: Value | None = self
        for part in path:
            if node is None:
                return None
            node = node.get(part)
        return node

    @property
    def data(self) -> Any:
        """The Python value, as `json.loads` gives it (members without a value left out;
        of two equal keys, the last, as `json.loads` keeps)."""
        if self.kind == "object":
            return {m.key: m.value.data for m in self.members if m.value is not None}
        if self.kind == "array":
            return [item.data for item in self.items]
        return self.scalar


@dataclass(frozen=True)
class Outline:
    text: str
    root: Value | None
    problems: list[SyntaxProblem]
    tokens: list[Token]  # the text's tokens, as read: completion looks at them again


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    start = 1 if text.startswith("\ufeff") else 0  # a byte order mark
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup or "other"
        if kind == "space":
            continue
        if kind == "punct":
            kind = match.group()
        found.append(Token(kind, match.start(), match.end()))
    return found


def read(text: str) -> Outline:
    """The tree of what `text` holds so far, and its problems in order. Never raises."""
    reader = _Reader(text)
    root = reader.value(0)
    extra = reader.peek()
    if root is not None and extra is not None:
        reader.fail("more text after the JSON document", extra)
    return Outline(text, root, reader.problems, reader.tokens)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokens(text)
        self.at = 0
        self.problems: list[SyntaxProblem] = []

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, message: str, token: Token | None) -> None:
        end = len(self.text)
        if token is None:
            self.problems.append(SyntaxProblem(message, end, end))
        else:
            self.problems.append(SyntaxProblem(message, token.start, token.end))

    def value(self, depth: int) -> Value | None:
        token = self.peek()
        if token is None:
            self.fail("expected a value, found the end of the file", None)
            return None
        if depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep", token)
            self.skip_value()
            return None
        if token.kind == "{":
            return self.object(depth)
        if token.kind == "[":
            return self.array(depth)
        if token.kind in ("string", "number"):
            self.take()
            decoded = self.decode(token)
            if decoded is None:
                return None
            kind: Kind = "string" if token.kind == "string" else "number"
            return Value(kind, token.start, token.end, decoded[0])
        word = self.text[token.start : token.end]
        if token.kind == "word" and word in _LITERALS:
            self.take()
            kind, scalar = _LITERALS[word]
            return Value(kind, token.start, token.end, scalar)
        self.fail("expected a value (object, array, string, number, true, false or null)", token)
        if token.kind in ("word", "other"):
            self.take()  # `tru`, `'x'`: read past it, so the member after it still counts
        return None

    def decode(self, token: Token) -> tuple[Any] | None:
        text = self.text[token.start : token.end]
        # The common cases without json.loads (a cases file has thousands of tokens).
        if token.kind == "string" and _PLAIN_STRING.match(text):
            return (text[1:-1],)
        if token.kind == "number" and _INTEGER.match(text):
            return (int(text),)
        if token.kind == "string" and not is_closed_string(text):
            self.fail('a string that never ends (close it with ")', token)
            return None
        try:
            return (json.loads(text),)
        except ValueError as exc:
            self.fail(f"cannot read this {token.kind}: {exc.args[0]}", token)
            return None

    def key(self, token: Token) -> str | None:
        decoded = self.decode(token)
        return decoded[0] if decoded is not None else None

    def object(self, depth: int) -> Value:
        opening = self.take()
        node = Value("object", opening.start, len(self.text), closed=False)
        while True:
            token = self.peek()
            if token is None:
                self.fail("expected '}' to close the object, found the end of the file", None)
                return node
            if token.kind == "}":
                node.end = self.take().end
                node.closed = True
                return node
            if token.kind == "]":
                self.fail("expected '}' to close the object", token)
                node.end = token.start
                return node
            if token.kind == ",":
                self.fail("expected a key in double quotes", token)
                self.take()
                continue
            if token.kind != "string":
                self.fail("expected a key in double quotes", token)
                self.skip_value()
                continue
            self.take()
            name = self.key(token)
            member = Member(name if name is not None else "", token.start, token.end)
            node.members.append(member)
            after = self.peek()
            if after is not None and after.kind == ":":
                self.take()
                member.value = self.value(depth + 1)
            else:
                self.fail("expected ':' after the key", after)
            after = self.peek()
            if after is not None and after.kind == ",":
                self.take()
                self.no_closing_after_comma("}")
            elif after is not None and after.kind == "string":
                self.fail("expected ',' between two members", after)
            elif after is not None and after.kind not in ("}", "]"):
                self.fail("expected ',' or '}'", after)
                self.skip_value()

    def array(self, depth: int) -> Value:
        opening = self.take()
        node = Value("array", opening.start, len(self.text), closed=False)
        while True:
            token = self.peek()
            if token is None:
                self.fail("expected ']' to close the array, found the end of the file", None)
                return node
            if token.kind == "]":
                node.end = self.take().end
                node.closed = True
                return node
            if token.kind == "}":
                self.fail("expected ']' to close the array", token)
                node.end = token.start
                return node
            if token.kind == ",":
                self.fail("expected a value", token)
                self.take()
                continue
            before = self.at
            item = self.value(depth + 1)
            if item is not None:
                node.items.append(item)
            after = self.peek()
            if after is not None and after.kind == ",":
                self.take()
                self.no_closing_after_comma("]")
            elif after is not None and after.kind not in ("]", "}"):
                self.fail("expected ',' or ']'", after)
                if self.at == before:
                    self.skip_value()

    def no_closing_after_comma(self, closing: str) -> None:
        token = self.peek()
        if token is not None and token.kind == closing:
            self.fail(f"a comma before '{closing}' (JSON has no trailing commas)", token)

    def skip_value(self) -> None:
        """Read past one token, or one bracketed group, without keeping it."""
        depth = 0
        while self.at < len(self.tokens):
            token = self.take()
            if token.kind in ("{", "["):
                depth += 1
            elif token.kind in ("}", "]"):
                depth -= 1
            if depth <= 0:
                return


def is_closed_string(text: str) -> bool:
    """True when the string token `text` has its closing quote (not an escaped one)."""
    if len(text) < 2 or not text.endswith('"'):
        return False
    backslashes = len(text) - 1 - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 0
