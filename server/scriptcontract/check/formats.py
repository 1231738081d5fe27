"""The output formats of `check`: text, JSON, SARIF 2.1.0 and GitHub Actions annotations.

Lines and columns are 1-based everywhere here; columns count code points (SARIF says so
with `columnKind`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import quote

from scriptcontract import __version__
from scriptcontract.contract.finding import Finding, Severity
from scriptcontract.contract.rules import all_rules, rule_by_code
from scriptcontract.contract.rules.meta import PROJECT_URL

FORMATS = ("text", "json", "sarif", "github")
Located = tuple[str, Finding]  # (path as shown, finding)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}
GITHUB_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


def render(fmt: str, findings: Sequence[Located]) -> str:
    if fmt == "json":
        return render_json(findings)
    if fmt == "sarif":
        return render_sarif(findings)
    if fmt == "github":
        return render_github(findings)
    return render_text(findings)


def render_text(findings: Sequence[Located]) -> str:
    return "".join(
        f"{path}:{f.range.start.line + 1}:{f.range.start.character + 1}: {f.code} {f.message}\n"
        for path, f in findings
    )


def _location(f: Finding) -> dict[str, int]:
    return {
        "line": f.range.start.line + 1,
        "column": f.range.start.character + 1,
        "end_line": f.range.end.line + 1,
        "end_column": f.range.end.character + 1,
    }


def render_json(findings: Sequence[Located]) -> str:
    items = []
    for path, f in findings:
        meta = rule_by_code(f.code)
        items.append(
            {
                "path": path,
                "code": f.code,
                "name": f.name,
                "severity": f.severity.value,
                "message": f.message,
                **_location(f),
                "url": meta.url if meta else None,
                "fixes": [
                    {
                        "title": fix.title,
                        "safe": fix.safe,
                        "edits": [
                            {
                                "line": e.range.start.line + 1,
                                "column": e.range.start.character + 1,
                                "end_line": e.range.end.line + 1,
                                "end_column": e.range.end.character + 1,
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
                        "line": r.range.start.line + 1,
                        "column": r.range.start.character + 1,
                    }
                    for r in f.related
                ],
            }
        )
    return json.dumps(items, indent=2) + "\n"


def render_sarif(findings: Sequence[Located]) -> str:
    rules = all_rules()
    index = {meta.code: i for i, meta in enumerate(rules)}
    results = []
    for path, f in findings:
        region = {
            "startLine": f.range.start.line + 1,
            "startColumn": f.range.start.character + 1,
            "endLine": f.range.end.line + 1,
            "endColumn": f.range.end.character + 1,
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
                        "region": {
                            "startLine": r.range.start.line + 1,
                            "startColumn": r.range.start.character + 1,
                        },
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
                "defaultConfiguration": {"level": SARIF_LEVELS[meta.severity]},
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
        loc = _location(f)
        props = ",".join(
            [
                f"file={_escape_property(path)}",
                f"line={loc['line']}",
                f"col={loc['column']}",
                f"endLine={loc['end_line']}",
                f"endColumn={loc['end_column']}",
                f"title={_escape_property(f'{f.code} {f.name}')}",
            ]
        )
        lines.append(f"::{GITHUB_LEVELS[f.severity]} {props}::{_escape_data(f.message)}\n")
    return "".join(lines)


def render_statistics(findings: Sequence[Located]) -> str:
    counts = Counter(f.code for _, f in findings)
    fixable = Counter(f.code for _, f in findings if any(fix.safe for fix in f.fixes))
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        meta = rule_by_code(code)
        name = meta.name if meta else ""
        mark = " [*]" if fixable[code] else ""
        rows.append(f"{count:>6}  {code}  {name}{mark}\n")
    return "".join(rows)
