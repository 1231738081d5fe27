"""JSON text as a tree that remembers where each value and key is in the text.

A cases file is read, pointed at (diagnostics, code lenses) and edited in place (`--update`,
"Accept actual output"), so its values keep their offsets: a user's layout and key order
survive an edit of one value. Values decode exactly as `json.loads` decodes them; keys are
unique (a duplicate is an error, not a silent "last one wins"); nesting is bounded.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

MAX_DEPTH = 200
Kind = Literal["object", "array", "string", "number", "true", "false", "null"]
_WHITESPACE = " \t\n\r"
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_STRING_END = re.compile(r'["\\\x00-\x1f]')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LITERALS: dict[str, tuple[Kind, Any]] = {
    "true": ("true", True),
    "false": ("false", False),
    "null": ("null", None),
}


class JsonSyntaxError(Exception):
    """The text is not one JSON document; `offset` is where reading stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class Member:
    key: str
    key_start: int
    key_end: int
    value: Node


@dataclass
class Node:
    """One JSON value and the span `[start, end)` of its text."""

    kind: Kind
    start: int
    end: int
    value: Any = None
    members: list[Member] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)

    def member(self, key: str) -> Member | None:
        return next((m for m in self.members if m.key == key), None)

    def get(self, key: str | int) -> Node | None:
        """The child at `key` (a member's value, or an array item)."""
        if isinstance(key, int):
            return self.items[key] if self.kind == "array" and 0 <= key < len(self.items) else None
        found = self.member(key) if self.kind == "object" else None
        return found.value if found is not None else None

    def find(self, path: tuple[str | int, ...]) -> Node | None:
        node: Node | None = self
        for part in path:
            if node is None:
                return None
            node = node.get(part)
        return node


class LineIndex:
    """Offsets to 0-based (line, column) in code points, lines split as the LSP splits them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def line_start(self, offset: int) -> int:
        return self.starts[self.position(offset)[0]]


def parse(text: str) -> Node:
    """The tree of `text`; raises `JsonSyntaxError` with the offset of the problem."""
    reader = _Reader(text)
    reader.skip_space()
    if reader.at < len(text) and text[reader.at] == "\ufeff":  # a byte order mark
        reader.at += 1
        reader.skip_space()
    node = reader.value(0)
    reader.skip_space()
    if reader.at != len(text):
        raise JsonSyntaxError("more text after the JSON document", reader.at)
    return node


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip_space(self) -> None:
        text, at = self.text, self.at
        while at < len(text) and text[at] in _WHITESPACE:
            at += 1
        self.at = at

    def expect(self, char: str, what: str) -> None:
        self.skip_space()
        if self.at >= len(self.text) or self.text[self.at] != char:
            raise JsonSyntaxError(f"expected {what}", self.at)
        self.at += 1

    def value(self, depth: int) -> Node:
        self.skip_space()
        if depth > MAX_DEPTH:
            raise JsonSyntaxError(f"nested more than {MAX_DEPTH} levels deep", self.at)
        if self.at >= len(self.text):
            raise JsonSyntaxError("expected a value, found the end of the file", self.at)
        char = self.text[self.at]
        if char == "{":
            return self.object(depth)
        if char == "[":
            return self.array(depth)
        if char == '"':
            start = self.at
            text = self.string()
            return Node("string", start, self.at, text)
        for word, (kind, value) in _LITERALS.items():
            if self.text.startswith(word, self.at):
                start = self.at
                self.at += len(word)
                return Node(kind, start, self.at, value)
        match = _NUMBER.match(self.text, self.at)
        if match is None:
            raise JsonSyntaxError(
                "expected a value (object, array, string, number, true, false or null)", self.at
            )
        try:
            number = json.loads(match.group())
        except ValueError as exc:  # an integer with too many digits
            raise JsonSyntaxError(f"cannot read this number: {exc}", self.at) from None
        self.at = match.end()
        return Node("number", match.start(), match.end(), number)

    def string(self) -> str:
        start = self.at
        at = start + 1
        text = self.text
        while True:
            match = _STRING_END.search(text, at)
            if match is None:
                raise JsonSyntaxError("a string that never ends", start)
            char = match.group()
            if char == '"':
                break
            if char == "\\":
                at = match.end() + 1
                continue
            raise JsonSyntaxError(
                "a control character in a string (write it as \\n, \\t, ...)", match.start()
            )
        self.at = match.end()
        try:
            decoded: str = json.loads(text[start : self.at])
        except ValueError as exc:
            raise JsonSyntaxError(f"invalid escape in a string: {exc.args[0]}", start) from None
        try:
            decoded.encode("utf-8")
        except UnicodeEncodeError:
            raise JsonSyntaxError(
                "a lone surrogate escape (\\ud800-\\udfff) in a string", start
            ) from None
        return decoded

    def object(self, depth: int) -> Node:
        node = Node("object", self.at, self.at, {})
        self.at += 1
        self.skip_space()
        if self.at < len(self.text) and self.text[self.at] == "}":
            self.at += 1
            node.end = self.at
            return node
        seen: dict[str, int] = {}
        while True:
            self.skip_space()
            if self.at >= len(self.text) or self.text[self.at] != '"':
                raise JsonSyntaxError("expected a key in double quotes", self.at)
            key_start = self.at
            key = self.string()
            if key in seen:
                raise JsonSyntaxError(f"duplicate key {json.dumps(key)}", key_start)
            seen[key] = key_start
            key_end = self.at
            self.expect(":", "':' after the key")
            child = self.value(depth + 1)
            node.members.append(Member(key, key_start, key_end, child))
            node.value[key] = child.value
            self.skip_space()
            if self.at < len(self.text) and self.text[self.at] == ",":
                self.at += 1
                continue
            self.expect("}", "',' or '}'")
            node.end = self.at
            return node

    def array(self, depth: int) -> Node:
        node = Node("array", self.at, self.at, [])
        self.at += 1
        self.skip_space()
        if self.at < len(self.text) and self.text[self.at] == "]":
            self.at += 1
            node.end = self.at
            return node
        while True:
            child = self.value(depth + 1)
            node.items.append(child)
            node.value.append(child.value)
            self.skip_space()
            if self.at < len(self.text) and self.text[self.at] == ",":
                self.at += 1
                continue
            self.expect("]", "',' or ']'")
            node.end = self.at
            return node
