"""The globs of `include`, `exclude` and `per-file-ignores`, matched in time linear in the path.

A configuration file is something a run can write (a `scriptcontract.toml` planted in
`scripts/`), and the paths are names a run chooses (255 characters a segment, as deep as
it likes). Translated to Python's `re`, `**a**a**a**a**b` held `check` for a second on a
path of 120 `a`, six such segments for good. The translation is the same; the match is
`KeyPattern`'s, case-sensitive, which looks at each character of the path once.
"""

from __future__ import annotations

import functools
import re

from scriptcontract.contract.key_patterns import KeyPattern, UnsupportedPattern


def glob_to_regex(pattern: str) -> str:
    """The glob as a regular expression, anchored at both ends: `**` spans directories,
    `*` and `?` stay within one path segment."""
    out: list[str] = ["^"]
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out) + r"\Z"


@functools.lru_cache(maxsize=256)
def glob_pattern(pattern: str) -> KeyPattern:
    """The compiled glob, kept: `check` asks for it once per file and glob."""
    return KeyPattern(glob_to_regex(pattern), ignore_case=False)


def glob_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a glob, or None. Only its size can stop one: a glob's
    translation never leaves what `KeyPattern` matches."""
    try:
        glob_pattern(pattern.lstrip("/"))
    except UnsupportedPattern as exc:
        return f"the glob {pattern[:40]!r} cannot be matched: {exc}"
    return None


def globs_problem(patterns: list[str]) -> str | None:
    """`glob_problem` of the first glob that has one (the `include` and `exclude` check)."""
    return next(filter(None, map(glob_problem, patterns)), None)


def per_file_globs_problem(table: dict[str, list[str]]) -> str | None:
    """`glob_problem` of the first `per-file-ignores` glob that has one."""
    return globs_problem(list(table))


def matches_any(relative_path: str, patterns: list[str]) -> bool:
    path = relative_path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    return any(glob_pattern(pattern.lstrip("/")).search(path) for pattern in patterns)
