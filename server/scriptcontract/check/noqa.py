"""`check --add-noqa`: a `# scriptcontract: ignore[CODES]` comment on each line with findings,
as ruff's `--add-noqa` adds `# noqa`, to adopt the rules on existing scripts and fix them later.

The comment goes on a finding's first line, else its last (a suppression covers either). A
line inside a string that spans lines, after a backslash, or that is a shebang gets none:
the comment would change the text, break the syntax or the `#!` line. Codes join an
existing `ignore[...]` of the line. The file is written as the fixes are (atomically, never
over a change made meanwhile).
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import NamedTuple

from scriptcontract.check.records import Record

# Findings about the file or the suppressions themselves: a comment cannot silence them.
UNSUPPRESSIBLE = ("SCR0", "SCR9")
_IGNORE = re.compile(r"#[ \t]*scriptcontract:[ \t]*ignore\[(?P<codes>[^\]\n]*)\]")


class Added(NamedTuple):
    text: str  # the new text (the old one when nothing was added)
    comments: int  # lines that got a comment or more codes in one
    left: list[Record]  # findings no comment could be put for


def add_suppressions(source: str, records: list[Record]) -> Added:
    """`source` with a suppression comment for each of `records` that can have one."""
    blocked = _blocked_lines(source)
    if blocked is None:
        return Added(source, 0, [r for r in records if not r.code.startswith(UNSUPPRESSIBLE)])
    lines = source.splitlines(keepends=True)
    per_line: dict[int, list[str]] = {}
    left: list[Record] = []
    for record in records:
        if record.code.startswith(UNSUPPRESSIBLE):
            continue
        line = next(
            (n for n in (record.line, record.end_line) if n <= len(lines) and n not in blocked),
            None,
        )
        if line is None:
            left.append(record)
            continue
        codes = per_line.setdefault(line, [])
        if record.code not in codes:
            codes.append(record.code)
    changed = 0
    for number, codes in per_line.items():
        new = _with_codes(lines[number - 1], codes)
        if new != lines[number - 1]:
            lines[number - 1] = new
            changed += 1
    return Added("".join(lines), changed, left)


def _blocked_lines(source: str) -> set[int] | None:
    """1-based lines where a comment at the end would change the program; None: no tokens."""
    blocked: set[int] = set()
    lines = source.splitlines()
    if lines and lines[0].startswith("#!"):
        blocked.add(1)
    blocked.update(n for n, line in enumerate(lines, 1) if line.rstrip().endswith("\\"))
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.start[0] < token.end[0] and token.type not in (tokenize.NL, tokenize.NEWLINE):
                blocked.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return None
    return blocked


def _with_codes(line: str, codes: list[str]) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    existing = _IGNORE.search(body)
    if existing is not None:
        named = [c.strip() for c in existing["codes"].split(",") if c.strip()]
        missing = [c for c in codes if c not in named]
        if not missing:
            return line
        joined = ", ".join([*named, *missing])
        return body[: existing.start("codes")] + joined + body[existing.end("codes") :] + ending
    return f"{body.rstrip()}  # scriptcontract: ignore[{', '.join(codes)}]{ending}"
