"""Suppression comments: `# scriptcontract: ignore[SCR101]` on a line, `ignore-file[...]` for
the whole file, and the findings about suppressions that hide nothing or name no rule."""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from dataclasses import dataclass, field

from scriptcontract.contract.finding import Finding, Fix, Position, Range, Severity, TextEdit
from scriptcontract.contract.positions import LineIndex
from scriptcontract.contract.rules import rule_by_code
from scriptcontract.contract.rules.engine_rules import INVALID_SUPPRESSION, UNUSED_SUPPRESSION
from scriptcontract.contract.rules.meta import RuleMeta

MARKER = "scriptcontract:"
DIRECTIVE = re.compile(
    r"#\s*scriptcontract:\s*(?P<kind>[A-Za-z-]+)(?P<codes>\[[^\]]*\]?)?(?P<rest>.*)$"
)
FILE_MARKERS = frozenset({"script", "skip-file"})
KINDS = frozenset({"ignore", "ignore-file"})


@dataclass
class Directive:
    line: int  # 0-based
    start: int  # code-point column of the '#'
    end: int  # code-point column where the comment ends
    file_level: bool
    codes: list[str] | None  # None: every code
    used: set[str] = field(default_factory=set)
    used_any: bool = False


@dataclass
class Suppressions:
    directives: list[Directive]
    problems: list[Finding]

    def filter(self, findings: list[Finding]) -> list[Finding]:
        """The findings that no directive suppresses; marks the directives that were used."""
        if not self.directives:
            return findings
        by_line: dict[int, list[Directive]] = {}
        file_level: list[Directive] = []
        for directive in self.directives:
            if directive.file_level:
                file_level.append(directive)
            else:
                by_line.setdefault(directive.line, []).append(directive)
        kept: list[Finding] = []
        for finding in findings:
            lines = {finding.range.start.line, finding.range.end.line}
            candidates = [d for line in lines for d in by_line.get(line, ())] + file_level
            hit = next((d for d in candidates if _covers(d, finding.code)), None)
            if hit is None:
                kept.append(finding)
            else:
                hit.used_any = True
                hit.used.add(finding.code)
        return kept

    def unused(self, ran: set[str], lines: LineIndex, severity: Severity) -> list[Finding]:
        """SCR901 findings for directives (or codes) that suppressed nothing."""
        out: list[Finding] = []
        for directive in self.directives:
            if directive.codes is None:
                if directive.used_any or not ran:
                    continue
                stale = ["every code"]
                remaining: list[str] = []
            else:
                stale = [c for c in directive.codes if c not in directive.used and c in ran]
                remaining = [c for c in directive.codes if c not in stale]
                if not stale:
                    continue
            where = Range(
                start=Position(line=directive.line, character=directive.start),
                end=Position(line=directive.line, character=directive.end),
            )
            what = "this suppression" if directive.codes is None else ", ".join(stale)
            out.append(
                Finding(
                    code=UNUSED_SUPPRESSION.meta.code,
                    name=UNUSED_SUPPRESSION.meta.name,
                    message=f"unused suppression: {what} hides nothing here",
                    severity=severity,
                    range=where,
                    fixes=[_removal(directive, remaining, lines)],
                )
            )
        return out


def _covers(directive: Directive, code: str) -> bool:
    if directive.codes is None:
        return True
    return code in directive.codes


def parse_suppressions(
    source: str, lines: LineIndex, invalid_severity: Severity, *, parsed: bool = True
) -> Suppressions:
    """The directives in `source`'s comments; `parsed`: whether `source` is valid Python."""
    if MARKER not in source:
        return Suppressions([], [])
    directives: list[Directive] = []
    problems: list[Finding] = []
    found = _comments(source, lines) if parsed else _scan_comments(source, lines)
    for line, column, text in found:
        match = DIRECTIVE.search(text)
        if match is None:
            continue
        start = column + match.start()
        end = column + len(text.rstrip())
        where = Range(
            start=Position(line=line, character=start), end=Position(line=line, character=end)
        )
        kind = match.group("kind")
        if kind in FILE_MARKERS and not match.group("codes"):
            continue
        if kind not in KINDS:
            problems.append(_invalid(where, f"unknown directive {kind!r}", invalid_severity))
            continue
        codes_text = match.group("codes")
        codes: list[str] | None = None
        if codes_text is not None:
            if not codes_text.endswith("]"):
                problems.append(_invalid(where, "missing ']'", invalid_severity))
                continue
            codes = [c.strip().upper() for c in codes_text[1:-1].split(",") if c.strip()]
            unknown = [c for c in codes if not _known(c)]
            if unknown:
                problems.append(
                    _invalid(where, "unknown code " + ", ".join(unknown), invalid_severity)
                )
                codes = [c for c in codes if c not in unknown]
                if not codes:
                    continue
        directives.append(
            Directive(
                line=line, start=start, end=end, file_level=kind == "ignore-file", codes=codes
            )
        )
    return Suppressions(directives, problems)


def _known(code: str) -> bool:
    meta: RuleMeta | None = rule_by_code(code)
    return meta is not None and meta.code == code


def _invalid(where: Range, why: str, severity: Severity) -> Finding:
    return Finding(
        code=INVALID_SUPPRESSION.meta.code,
        name=INVALID_SUPPRESSION.meta.name,
        message=f"invalid suppression comment: {why}",
        severity=severity,
        range=where,
    )


def _comments(source: str, lines: LineIndex) -> list[tuple[int, int, str]]:
    """(0-based line, code-point column, text) of every comment naming scriptcontract."""
    found: list[tuple[int, int, str]] = []
    try:
        # newline=None: lines end at \r too, as for the compiler (a file with old Mac line
        # ends would otherwise be one line to the tokenizer).
        for token in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
            if token.type == tokenize.COMMENT and MARKER in token.string:
                found.append((token.start[0] - 1, token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError, ValueError, IndentationError):
        # A broken file: fall back to comments that start their line.
        found = []
        for number, text in enumerate(lines.lines):
            stripped = text.lstrip()
            if stripped.startswith("#") and MARKER in stripped:
                found.append((number, len(text) - len(stripped), stripped))
    return found


# A linear scan for code that does not parse: Python's `tokenize` is quadratic on some
# invalid lines (a run of spaces before a character no token starts with, like `$`): a
# 13 KB line took 48 s and held the GIL, freezing the language server.
_INTERESTING = re.compile(r"[#'\"]")
# Each always matches (to the closing quote, the end of the line or the end of the text),
# and never backtracks: the alternatives start with different characters.
_SINGLE = {
    quote: re.compile(rf"[^{quote}\\\r\n]*(?:\\[\s\S]?[^{quote}\\\r\n]*)*(?:{quote}|(?=[\r\n])|\Z)")
    for quote in "'\""
}
_TRIPLE = {
    quote: re.compile(
        rf"[^{quote}\\]*(?:(?:\\[\s\S]?|{quote}(?!{quote}{quote}))[^{quote}\\]*)*"
        rf"(?:{quote}{{3}}|\Z)"
    )
    for quote in "'\""
}
_COMMENT_TEXT = re.compile(r"[^\r\n]*")


def _scan_comments(source: str, lines: LineIndex) -> list[tuple[int, int, str]]:
    """(0-based line, code-point column, text) of every comment naming scriptcontract, found
    by skipping string literals (unterminated ones end at their line, or triple-quoted ones
    at the end of the text)."""
    found: list[tuple[int, int, str]] = []
    starts = lines.line_starts()
    pos = 0
    while (hit := _INTERESTING.search(source, pos)) is not None:
        char, at = hit.group(), hit.start()
        if char == "#":
            end = _COMMENT_TEXT.match(source, at).end()  # type: ignore[union-attr]
            text = source[at:end]
            if MARKER in text:
                line = bisect.bisect_right(starts, at) - 1
                found.append((line, at - starts[line], text))
            pos = end
        elif source.startswith(char * 3, at):
            pos = _TRIPLE[char].match(source, at + 3).end()  # type: ignore[union-attr]
        else:
            pos = _SINGLE[char].match(source, at + 1).end()  # type: ignore[union-attr]
    return found


def _removal(directive: Directive, remaining: list[str], lines: LineIndex) -> Fix:
    text = lines.line_text(directive.line)
    line = directive.line
    if remaining:
        kind = "ignore-file" if directive.file_level else "ignore"
        new = f"# scriptcontract: {kind}[{', '.join(remaining)}]"
        edit = TextEdit(
            range=Range(
                start=Position(line=line, character=directive.start),
                end=Position(line=line, character=directive.end),
            ),
            new_text=new,
        )
        return Fix(title="Remove the unused codes", edits=[edit])
    before = text[: directive.start]
    if not before.strip() and directive.end >= len(text.rstrip()):
        whole = Range(
            start=Position(line=line, character=0), end=Position(line=line + 1, character=0)
        )
        return Fix(
            title="Remove the unused suppression", edits=[TextEdit(range=whole, new_text="")]
        )
    cut = len(before.rstrip())
    edit = TextEdit(
        range=Range(
            start=Position(line=line, character=cut),
            end=Position(line=line, character=directive.end),
        ),
        new_text="",
    )
    return Fix(title="Remove the unused suppression", edits=[edit])
