"""The output formats of `check`: concise, full, JSON and JSON lines, SARIF 2.1.0, GitHub
Actions annotations, JUnit XML, GitLab Code Quality, Azure Pipelines logging commands,
pylint's parseable lines and reviewdog's rdjson; and the statistics, as text or JSON.

Lines and columns are 1-based everywhere here; columns count code points (SARIF says so
with `columnKind`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from scriptcontract import __version__
from scriptcontract.check.records import Record
from scriptcontract.shown_values import printable, printable_name

FORMATS = (
    "concise",
    "full",
    "json",
    "json-lines",
    "sarif",
    "github",
    "junit",
    "gitlab",
    "azure",
    "pylint",
    "rdjson",
    "grouped",
)
# Earlier names still accepted: `text` is today's `concise`.
ALIASES = {"text": "concise"}
Located = tuple[str, Record]  # (path as shown, finding)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
GITHUB_LEVELS = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}
GITLAB_SEVERITIES = {"error": "major", "warning": "minor", "information": "info", "hint": "info"}
# Azure Pipelines knows two issue types only.
AZURE_TYPES = {"error": "error", "warning": "warning", "information": "warning", "hint": "warning"}
RDJSON_SEVERITIES = {"error": "ERROR", "warning": "WARNING", "information": "INFO", "hint": "INFO"}
FIXABLE = "[*]"


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


def quoteattr(text: str) -> str:
    """An XML attribute value, quoted (xml.sax.saxutils costs a dozen ms of imports)."""
    from html import escape  # here: its table of entities costs every other format ~1 ms

    return '"' + escape(text, quote=True).replace("\n", "&#10;") + '"'


class Style:
    """ANSI colours, or none."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def path(self, text: str) -> str:
        return self._wrap("1", text)

    def code(self, text: str) -> str:
        return self._wrap("1;31", text)

    def fixable(self, text: str) -> str:
        return self._wrap("36", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def caret(self, text: str) -> str:
        return self._wrap("1;31", text)


def render(
    fmt: str,
    findings: Sequence[Located],
    *,
    checked: Sequence[str] = (),
    color: bool = False,
    unsafe: bool = False,
) -> str:
    """`unsafe`: the fixes not safe to apply automatically count as fixable (`--unsafe-fixes`)."""
    fmt = ALIASES.get(fmt, fmt)
    if fmt == "json":
        return render_json(findings, unsafe)
    if fmt == "json-lines":
        return render_json_lines(findings, unsafe)
    if fmt == "azure":
        return render_azure(findings)
    if fmt == "pylint":
        return render_pylint(findings)
    if fmt == "rdjson":
        return render_rdjson(findings)
    if fmt == "sarif":
        return render_sarif(findings)
    if fmt == "github":
        return render_github(findings)
    if fmt == "junit":
        return render_junit(findings, checked)
    if fmt == "gitlab":
        return render_gitlab(findings)
    if fmt == "full":
        return render_full(findings, Style(color), unsafe)
    if fmt == "grouped":
        return render_grouped(findings, Style(color), unsafe)
    return render_concise(findings, Style(color), unsafe)


def _head(path: str, f: Record, style: Style, unsafe: bool) -> str:
    mark = f" {style.fixable(FIXABLE)}" if f.fixable_with(unsafe) else ""
    return (
        f"{style.path(path)}{style.dim(':')}{f.line}{style.dim(':')}{f.column}{style.dim(':')} "
        # One line a finding: a message may quote what a project wrote (an input key).
        f"{style.code(f.code)}{mark} {printable_name(f.message)}\n"
    )


def render_concise(
    findings: Sequence[Located], style: Style | None = None, unsafe: bool = False
) -> str:
    style = style or Style(False)
    return "".join(_head(path, f, style, unsafe) for path, f in findings)


def render_grouped(
    findings: Sequence[Located], style: Style | None = None, unsafe: bool = False
) -> str:
    """ruff's `grouped`: each file named once, its findings below it (`  line:column CODE
    message`), a blank line between files."""
    style = style or Style(False)
    blocks: dict[str, list[str]] = {}
    for path, f in findings:
        mark = f" {style.fixable(FIXABLE)}" if f.fixable_with(unsafe) else ""
        blocks.setdefault(path, []).append(
            f"  {f.line}{style.dim(':')}{f.column} {style.code(f.code)}{mark} "
            f"{printable_name(f.message)}\n"
        )
    return "\n".join(
        f"{style.path(path)}{style.dim(':')}\n" + "".join(lines) for path, lines in blocks.items()
    )


def render_full(
    findings: Sequence[Located], style: Style | None = None, unsafe: bool = False
) -> str:
    """Each finding with its source line, a caret under its range, and its fix's title."""
    style = style or Style(False)
    blocks = []
    for path, f in findings:
        lines = [_head(path, f, style, unsafe).rstrip("\n")]
        if f.source_line:
            number = str(f.line)
            gutter = " " * len(number)
            # The script's own line: its escape sequences are shown, not obeyed.
            text = printable(f.source_line.replace("\t", " "))
            start = max(0, f.column - 1)
            end = f.end_column - 1 if f.end_line == f.line else len(text.rstrip())
            width = max(1, min(end, len(text)) - start)
            lines += [
                style.dim(f"{gutter} |"),
                style.dim(f"{number} |") + f" {text.rstrip()}",
                style.dim(f"{gutter} |") + " " + " " * start + style.caret("^" * width),
            ]
        for fix in f.fixes:
            if fix.safe:
                how = "applied by --fix"
            elif unsafe:
                how = "may change behaviour; applied by --fix --unsafe-fixes"
            else:
                how = "not safe to apply automatically: --unsafe-fixes applies it"
            lines.append(f"  = fix: {printable(fix.title)} ({how})")
        for related in f.related:
            where = related.path or path
            note = f"{where}:{related.line}:{related.column}: {related.message}"
            lines.append(f"  = note: {printable(note)}")
        if f.url:
            lines.append(f"  = help: {f.url}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def render_json(findings: Sequence[Located], unsafe: bool = False) -> str:
    return json.dumps(_json_items(findings, unsafe), indent=2) + "\n"


def render_json_lines(findings: Sequence[Located], unsafe: bool = False) -> str:
    """One finding per line, each the object `json` lists: for tools that read a stream."""
    return "".join(json.dumps(item) + "\n" for item in _json_items(findings, unsafe))


def _json_items(findings: Sequence[Located], unsafe: bool) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for path, f in findings:
        items.append(
            {
                "path": path,
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "message": f.message,
                **_location(f),
                "url": f.url,
                "fixable": f.fixable_with(unsafe),
                "fixes": [
                    {
                        "title": fix.title,
                        "safe": fix.safe,
                        "edits": [
                            {
                                "line": e.line,
                                "column": e.column,
                                "end_line": e.end_line,
                                "end_column": e.end_column,
                                "new_text": e.new_text,
                            }
                            for e in fix.edits
                        ],
                    }
                    for fix in f.fixes
                ],
                "related": [
                    {
                        "message": r.message,
                        "path": r.path or path,
                        "line": r.line,
                        "column": r.column,
                    }
                    for r in f.related
                ],
            }
        )
    return items


def _location(f: Record) -> dict[str, int]:
    return {
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
    }


def render_sarif(findings: Sequence[Located]) -> str:
    from scriptcontract.contract.rules import all_rules
    from scriptcontract.contract.rules.meta import PROJECT_URL

    rules = all_rules()
    index = {meta.code: i for i, meta in enumerate(rules)}
    results = []
    for path, f in findings:
        region = {
            "startLine": f.line,
            "startColumn": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
        }
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": SARIF_LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(path)},
                        "region": region,
                    }
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [
                {
                    "id": number,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(r.path or path)},
                        "region": {"startLine": r.line, "startColumn": r.column},
                    },
                }
                for number, r in enumerate(f.related)
            ]
        results.append(result)
    driver = {
        "name": "scriptcontract",
        "version": __version__,
        "informationUri": PROJECT_URL,
        "rules": [
            {
                "id": meta.code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": " ".join(meta.explanation.split())},
                "helpUri": meta.url,
                "defaultConfiguration": {"level": SARIF_LEVELS[meta.severity.value]},
            }
            for meta in rules
        ],
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    posix = PurePath(path).as_posix()
    if posix.startswith("/"):
        return "file://" + quote(posix)
    return quote(posix)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Located]) -> str:
    lines = []
    for path, f in findings:
        props = ",".join(
            [
                f"file={_escape_property(path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={f.end_line}",
                f"endColumn={f.end_column}",
                f"title={_escape_property(f'{f.code} {f.name}')}",
            ]
        )
        lines.append(f"::{GITHUB_LEVELS[f.severity]} {props}::{_escape_data(f.message)}\n")
    return "".join(lines)


def render_junit(findings: Sequence[Located], checked: Sequence[str]) -> str:
    """One test suite per checked script, one failed test case per finding.

    A script without findings is one passing test case, so that CI shows what was checked.
    """
    by_path: dict[str, list[Record]] = {path: [] for path in checked}
    for path, f in findings:
        by_path.setdefault(path, []).append(f)
    total = sum(max(1, len(items)) for items in by_path.values())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="scriptcontract" tests="{total}" failures="{len(findings)}" errors="0">',
    ]
    for path, items in by_path.items():
        name = quoteattr(path)
        out.append(
            f'  <testsuite name={name} tests="{max(1, len(items))}" failures="{len(items)}" '
            'errors="0">'
        )
        if not items:
            out.append(f'    <testcase name="contract" classname={name} file={name}/>')
        for f in items:
            case = quoteattr(f"{f.code} {f.name} ({f.line}:{f.column})")
            out.append(f'    <testcase name={case} classname={name} file={name} line="{f.line}">')
            body = _escape(f"{path}:{f.line}:{f.column}: {f.code} {f.message}")
            out.append(f"      <failure message={quoteattr(f.message)} type={quoteattr(f.code)}>")
            out.append(f"{body}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def render_gitlab(findings: Sequence[Located]) -> str:
    """GitLab's Code Quality report: a JSON list of issues with a stable fingerprint each."""
    import hashlib

    seen: Counter[str] = Counter()
    issues = []
    for path, f in findings:
        identity = f"{path}\0{f.code}\0{f.message}"
        seen[identity] += 1  # the same finding twice in a file still gets two fingerprints
        fingerprint = hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "categories": ["Bug Risk"],
                "severity": GITLAB_SEVERITIES[f.severity],
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": f.line, "end": f.end_line}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"


def statistics(findings: Sequence[Located], unsafe: bool = False) -> list[dict[str, object]]:
    counts = Counter(f.code for _, f in findings)
    fixable = Counter(f.code for _, f in findings if f.fixable_with(unsafe))
    names = {f.code: f.name for _, f in findings}
    return [
        {"code": code, "name": names[code], "count": count, "fixable": fixable[code]}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def render_statistics(
    findings: Sequence[Located], fmt: str = "concise", *, unsafe: bool = False
) -> str:
    rows = statistics(findings, unsafe)
    if ALIASES.get(fmt, fmt) == "json":
        return json.dumps(rows, indent=2) + "\n"
    return "".join(
        f"{row['count']:>6}  {row['code']}  {row['name']}{' [*]' if row['fixable'] else ''}\n"
        for row in rows
    )


def _escape_azure(text: str, *, property_value: bool = False) -> str:
    """Azure Pipelines' logging-command escapes (`%AZP25` is its own escape for `%`)."""
    text = text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(";", "%3B").replace("]", "%5D")
    return text


def render_azure(findings: Sequence[Located]) -> str:
    """Azure Pipelines `task.logissue` commands: annotations on the build's files."""
    lines = []
    for path, f in findings:
        props = (
            f"type={AZURE_TYPES[f.severity]};sourcepath={_escape_azure(path, property_value=True)};"
            f"linenumber={f.line};columnnumber={f.column};code={f.code};"
        )
        lines.append(f"##vso[task.logissue {props}]{_escape_azure(f.message)}\n")
    return "".join(lines)


def render_pylint(findings: Sequence[Located]) -> str:
    """pylint's parseable lines, `path:line: [CODE] message`, as ruff writes them: what
    Jenkins' warnings plugin and other pylint readers parse."""
    return "".join(
        f"{path}:{f.line}: [{f.code}] {printable_name(f.message)}\n" for path, f in findings
    )


def render_rdjson(findings: Sequence[Located]) -> str:
    """reviewdog's Diagnostic Format (rdjson), with each safe fix as a suggestion."""
    from scriptcontract.contract.rules.meta import PROJECT_URL

    diagnostics = []
    for path, f in findings:
        diagnostic: dict[str, object] = {
            "message": f.message,
            "location": {"path": path, "range": _rdjson_range(f)},
            "severity": RDJSON_SEVERITIES[f.severity],
            "code": {"value": f.code, **({"url": f.url} if f.url else {})},
        }
        safe = next((fix for fix in f.fixes if fix.safe), None)
        if safe is not None:
            diagnostic["suggestions"] = [
                {
                    "range": {
                        "start": {"line": e.line, "column": e.column},
                        "end": {"line": e.end_line, "column": e.end_column},
                    },
                    "text": e.new_text,
                }
                for e in safe.edits
            ]
        diagnostics.append(diagnostic)
    log = {
        "source": {"name": "scriptcontract", "url": PROJECT_URL},
        "diagnostics": diagnostics,
    }
    return json.dumps(log, indent=2) + "\n"


def _rdjson_range(f: Record) -> dict[str, dict[str, int]]:
    return {
        "start": {"line": f.line, "column": f.column},
        "end": {"line": f.end_line, "column": f.end_column},
    }
