"""The analyser's entry point: source text in, findings out. Never raises.

(First cut: syntax errors only; the contract rules arrive with issue 3.)
"""

from __future__ import annotations

import ast

from scriptcontract.contract.finding import Finding, Range, Severity
from scriptcontract.contract.settings import LintSettings

SYNTAX_ERROR_CODE = "SCR001"


def analyse(
    source: str, *, path: str | None = None, settings: LintSettings | None = None
) -> list[Finding]:
    """Every finding for one script, sorted by position."""
    settings = settings or LintSettings()
    minor = int(settings.target_version.split(".")[1])
    try:
        ast.parse(source, filename=path or "<script>", feature_version=(3, minor))
    except SyntaxError as exc:
        line = max((exc.lineno or 1) - 1, 0)
        col = max((exc.offset or 1) - 1, 0)
        return [
            Finding(
                code=SYNTAX_ERROR_CODE,
                name="syntax-error",
                message=f"SyntaxError: {exc.msg}",
                severity=Severity.ERROR,
                range=Range.of(line, col, line, col + 1),
            )
        ]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [
            Finding(
                code=SYNTAX_ERROR_CODE,
                name="syntax-error",
                message=f"cannot parse: {exc}",
                severity=Severity.ERROR,
                range=Range.of(0, 0, 0, 0),
            )
        ]
    return []
