"""The analyser's entry point: source text in, findings out. Never raises.

One `ast.parse` per call (with an `IncrementalParser`, of the statements an edit touched
only); one pass builds the `ScriptModel`; every enabled rule reads it (and the lazily computed
`Facts`). A rule that fails becomes one SCR002 finding and hides nothing
else. Suppression comments, `select`/`ignore` and severity overrides apply last.
"""

from __future__ import annotations

import ast
import bisect
import gc
from dataclasses import replace
from typing import TYPE_CHECKING

from scriptcontract.contract.facts import Facts
from scriptcontract.contract.finding import Finding, Position, Range, Severity
from scriptcontract.contract.model import ScriptModel
from scriptcontract.contract.parsing import parse
from scriptcontract.contract.positions import LineIndex
from scriptcontract.contract.rules import RULES, Report, Rule, RuleContext
from scriptcontract.contract.rules.engine_rules import (
    INTERNAL_ERROR,
    INVALID_SUPPRESSION,
    SYNTAX_ERROR,
    UNUSED_SUPPRESSION,
)
from scriptcontract.contract.selection import enabled_rules
from scriptcontract.contract.settings import LintSettings
from scriptcontract.contract.suppression import parse_suppressions

if TYPE_CHECKING:
    from scriptcontract.contract.incremental import IncrementalParser
    from scriptcontract.contract.project_modules import ProjectModules

SYNTAX_ERROR_CODE = SYNTAX_ERROR.meta.code


def analyse(
    source: str,
    *,
    path: str | None = None,
    settings: LintSettings | None = None,
    parser: IncrementalParser | None = None,
    modules: ProjectModules | None = None,
) -> list[Finding]:
    """Every finding for one script, sorted by position.

    `parser` (one per document) reuses the tree of the document's previous version where
    the text did not change; the findings are the same either way. `modules` is the
    script's project, whose own modules the analysis follows (None: calls into other
    modules prove nothing).
    """
    settings = settings or LintSettings()
    # Parsing and the model allocate many objects and almost no garbage cycles; the cyclic
    # collector would run dozens of times per large script for nothing (profiled: it more
    # than doubles `ast.parse`). It is paused for the call and collects afterwards as usual.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _analyse(source, path, settings, parser, modules)
    except Exception as exc:  # the promise: never raise, whatever the input
        return [_internal(None, exc)]
    finally:
        if paused:
            gc.enable()


def _analyse(
    source: str,
    path: str | None,
    settings: LintSettings,
    parser: IncrementalParser | None,
    modules: ProjectModules | None,
) -> list[Finding]:
    enabled = enabled_rules(settings)
    lines = LineIndex(source)
    findings: list[Finding] = []
    ran: set[str] = set()
    try:
        tree = (parser.parse if parser else parse)(source, path, settings)
    except SyntaxError as exc:
        # Since 3.11.4 a null byte is a SyntaxError on line 1, wherever it is.
        null = "\x00" in source
        findings.append(_unparsable(exc, source, lines) if null else _syntax_error(exc, lines))
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        findings.append(_unparsable(exc, source, lines))
    else:
        ran = set(enabled)
        findings.extend(_run_rules(source, path, settings, tree, lines, enabled, parser, modules))
    findings = [f for f in findings if f.code in enabled]
    suppressions = parse_suppressions(
        source,
        lines,
        enabled.get(INVALID_SUPPRESSION.meta.code, Severity.WARNING),
        parsed=bool(ran),
    )
    findings = suppressions.filter(findings)
    if INVALID_SUPPRESSION.meta.code in enabled:
        findings.extend(suppressions.filter(suppressions.problems))
    unused_code = UNUSED_SUPPRESSION.meta.code
    if unused_code in enabled and ran:
        unused = suppressions.unused(ran - {unused_code}, lines, enabled[unused_code])
        findings.extend(unused)
    return _sorted_unique(findings, enabled)


def _run_rules(
    source: str,
    path: str | None,
    settings: LintSettings,
    tree: ast.Module,
    lines: LineIndex,
    enabled: dict[str, Severity],
    parser: IncrementalParser | None,
    modules: ProjectModules | None,
) -> list[Finding]:
    try:
        model = ScriptModel.build(tree, parser.scans if parser else None)
    except Exception as exc:
        return [_internal(None, exc)]
    if parser:
        parser.scans = model.scans
    facts = Facts(model, modules, path)
    ctx = RuleContext(source, path, settings, tree, model, facts, lines, frozenset(enabled))
    findings: list[Finding] = []
    try:
        for rule in RULES:
            if rule.check is None or rule.meta.code not in enabled:
                continue
            try:
                reports: list[Report] = list(rule.check(ctx))
            except Exception as exc:
                findings.append(_internal(rule, exc))
                continue
            findings.extend(rule.finding(report) for report in reports)
    finally:
        model.release()
    return findings


def _sorted_unique(findings: list[Finding], enabled: dict[str, Severity]) -> list[Finding]:
    seen: set[tuple[str, int, int, int, int]] = set()
    out: list[Finding] = []
    for finding in findings:
        r = finding.range
        key = (finding.code, r.start.line, r.start.character, r.end.line, r.end.character)
        if key in seen:
            continue
        seen.add(key)
        level = enabled.get(finding.code, finding.severity)
        if level != finding.severity:
            finding = replace(finding, severity=level)
        out.append(finding)
    out.sort(key=lambda f: (f.range.start.line, f.range.start.character, f.code))
    return out


def _syntax_error(exc: SyntaxError, lines: LineIndex) -> Finding:
    line = max((exc.lineno or 1) - 1, 0)
    # SyntaxError offsets are 1-based code-point columns of the line's text.
    col = max((exc.offset or 1) - 1, 0)
    col = min(col, len(lines.line_text(line)))
    end_line = max((getattr(exc, "end_lineno", None) or exc.lineno or 1) - 1, line)
    end_offset = getattr(exc, "end_offset", None)
    end_col = max(end_offset - 1, 0) if end_offset else col + 1
    if end_line == line:
        end_col = max(end_col, col + 1)
    end_text = lines.line_text(end_line)
    if end_text or end_line + 1 >= len(lines.lines):
        end_col = min(end_col, len(end_text))
    else:  # an empty line: the range takes its line break, to stay visible and in the text
        end_line, end_col = end_line + 1, 0
    return Finding(
        code=SYNTAX_ERROR.meta.code,
        name=SYNTAX_ERROR.meta.name,
        message=f"SyntaxError: {exc.msg}",
        severity=SYNTAX_ERROR.meta.severity,
        range=Range.of(line, col, end_line, end_col),
    )


def _unparsable(exc: BaseException, source: str, lines: LineIndex) -> Finding:
    where = Range.of(0, 0, 0, 0)
    if "\x00" in source:
        index = source.index("\x00")
        line = bisect.bisect_right(lines.line_starts(), index) - 1
        col = index - lines.line_starts()[line]
        where = Range.of(line, col, line, col + 1)
        message = "the source contains a null byte"
    elif isinstance(exc, RecursionError):
        message = "the source is nested too deeply to parse"
    elif isinstance(exc, MemoryError):
        message = "not enough memory to parse the source"
    else:
        message = f"cannot parse: {exc}"
    return Finding(
        code=SYNTAX_ERROR.meta.code,
        name=SYNTAX_ERROR.meta.name,
        message=message,
        severity=SYNTAX_ERROR.meta.severity,
        range=where,
    )


def _internal(rule: Rule | None, exc: BaseException) -> Finding:
    import traceback  # only when the analyser fails

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    who = f"rule {rule.meta.code} ({rule.meta.name})" if rule else "the analyser"
    return Finding(
        code=INTERNAL_ERROR.meta.code,
        name=INTERNAL_ERROR.meta.name,
        message=f"{who} failed on this script: {type(exc).__name__}: {exc}{where}",
        severity=INTERNAL_ERROR.meta.severity,
        range=Range(start=Position(line=0, character=0), end=Position(line=0, character=0)),
    )


__all__ = ["SYNTAX_ERROR_CODE", "analyse", "parse"]
