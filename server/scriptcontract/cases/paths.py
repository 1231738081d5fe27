"""Paths into a JSON value: how they are written, shown and matched.

A path is written as keys joined by dots, with array indexes in brackets:
`items[0].id`, `meta.generated_at`. In a placeholder's path, `*` stands for any key,
`[*]` for any index and `**` for any number of levels (`**.id`: an `id` at any depth). A key
that holds a dot, a bracket, a quote, or spaces at either end is written quoted: `["created at"]`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

Path = tuple[str | int, ...]

ANY_KEY = "*"
ANY_INDEX = "[*]"
ANY_DEPTH = "**"
_PLAIN_KEY = re.compile(r"[A-Za-z_$][\w$-]*")
_TOKEN = re.compile(
    r"""
    (?P<quoted>\[\s*"(?:[^"\\]|\\.)*"\s*\])
  | (?P<index>\[\s*(?:\d+|\*)\s*\])
  | (?P<key>[^.\[\]"]+)
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)


class PathSyntaxError(ValueError):
    pass


Segment = str | int  # a key, an index, or one of ANY_KEY / ANY_INDEX / ANY_DEPTH as str


@dataclass(frozen=True)
class PathPattern:
    """A placeholder's path, parsed: keys, indexes and wildcards."""

    text: str
    segments: tuple[tuple[str, Segment], ...]  # (kind, value): kind key/index/any-key/...

    def matches(self, path: Path) -> bool:
        return _match(self.segments, path)


def show(path: Path, root: str = "") -> str:
    """`items[2].id`, with `root` in front (`output.items[2].id`)."""
    out = root
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


@lru_cache(maxsize=1024)
def parse_pattern(text: str) -> PathPattern:
    """The pattern written as `text`; raises `PathSyntaxError` saying what is wrong."""
    if not text.strip():
        raise PathSyntaxError("an empty path")
    segments: list[tuple[str, Segment]] = []
    at = 0
    expect_key = True  # at the start, or after a dot
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise PathSyntaxError(f"unexpected {text[at]!r} at character {at + 1}")
        kind = match.lastgroup
        token = match.group()
        if kind == "dot":
            if expect_key:
                raise PathSyntaxError(f"a key is missing before the '.' at character {at + 1}")
            expect_key = True
        elif kind == "key":
            if not expect_key:
                raise PathSyntaxError(f"a '.' is missing before {token!r}")
            name = token.strip()
            if name != token or not name:
                raise PathSyntaxError(f'{token!r}: quote keys with spaces, as ["{token}"]')
            if name == ANY_DEPTH:
                segments.append(("any-depth", ANY_DEPTH))
            elif name == ANY_KEY:
                segments.append(("any-key", ANY_KEY))
            else:
                segments.append(("key", name))
            expect_key = False
        elif kind == "quoted":
            inner = token.strip()[1:-1].strip()
            segments.append(("key", json.loads(inner)))
            expect_key = False
        else:  # index
            inner = token.strip()[1:-1].strip()
            segments.append(("any-index", ANY_INDEX) if inner == "*" else ("index", int(inner)))
            expect_key = False
        at = match.end()
    if expect_key:
        raise PathSyntaxError("the path ends with a '.'")
    return PathPattern(text, tuple(segments))


def _match(segments: tuple[tuple[str, Segment], ...], path: Path) -> bool:
    if not segments:
        return not path
    (kind, value), rest = segments[0], segments[1:]
    if kind == "any-depth":
        return any(_match(rest, path[skip:]) for skip in range(len(path) + 1))
    if not path:
        return False
    part, remaining = path[0], path[1:]
    if kind == "key":
        ok = isinstance(part, str) and part == value
    elif kind == "any-key":
        ok = isinstance(part, str)
    elif kind == "index":
        ok = isinstance(part, int) and part == value
    else:  # any-index
        ok = isinstance(part, int)
    return ok and _match(rest, remaining)
