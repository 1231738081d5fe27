"""Suppression comments on one line: the codes they name, and the edit that adds one.

`# scriptcontract: ignore[SCR101, SCR2]` silences codes (or prefixes) on its line,
`# scriptcontract: ignore-file[SCR101]` in the whole file. Columns are code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(
    r"#[ \t]*scriptcontract:[ \t]*(?P<kind>ignore(?:-file)?)\[(?P<codes>[^\]\n]*)\]"
)
_CODE = re.compile(r"[A-Za-z]+[0-9]*")


@dataclass(frozen=True)
class NamedCode:
    code: str
    start: int
    end: int
    file_level: bool


def codes_on_line(line: str) -> list[NamedCode]:
    found = []
    for comment in _COMMENT.finditer(line):
        offset = comment.start("codes")
        for code in _CODE.finditer(comment["codes"]):
            found.append(
                NamedCode(
                    code=code.group(),
                    start=offset + code.start(),
                    end=offset + code.end(),
                    file_level=comment["kind"] == "ignore-file",
                )
            )
    return found


def code_at(line: str, column: int) -> NamedCode | None:
    for named in codes_on_line(line):
        if named.start <= column <= named.end:
            return named
    return None


@dataclass(frozen=True)
class LineEdit:
    start: int
    end: int
    new_text: str


def add_ignore(line: str, code: str) -> LineEdit | None:
    """The edit of `line` that silences `code` there; None when it already is."""
    for comment in _COMMENT.finditer(line):
        if comment["kind"] != "ignore":
            continue
        codes = [c.strip() for c in comment["codes"].split(",") if c.strip()]
        if code in codes:
            return None
        end = comment.end("codes")
        text = f", {code}" if codes else code
        return LineEdit(end, end, text)
    code_end = len(line.rstrip())
    return LineEdit(code_end, len(line), f"  # scriptcontract: ignore[{code}]")
