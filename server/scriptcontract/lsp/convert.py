"""The one place where contract and executor models become lsprotocol types.

Ranges are converted from code points to the client's position encoding on the text the
findings were computed from, so a diagnostic lands on the same characters in every editor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.capabilities import ResolvedClientCapabilities
from scriptcontract.lsp.position_encoding import Encoding, from_client_column, to_client_column
from scriptcontract.lsp.rule_info import docs_url

if TYPE_CHECKING:
    from scriptcontract.contract.finding import Finding, Fix, Range, RelatedLocation

LINT_SOURCE = "scriptcontract"
RUN_SOURCE = "scriptcontract-run"
# A run diagnostic's `data`: the interpreter its quick fix offers for `run.python`.
USE_PYTHON_KEY = "usePython"
# A script's recorded cases: mistakes in its cases file, cases that fail, their runs.
CASES_SOURCE = "scriptcontract-cases"
# The inputs files beside a script (`<name>.inputs.json`, the cases' inputs): checked keys.
INPUTS_SOURCE = "scriptcontract-inputs"
# What the last exploration of a script found (`scriptcontract.explore`).
EXPLORE_SOURCE = "scriptcontract-explore"

# By `Severity` value, so that this module loads without the pydantic models.
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}

LinesOf = Callable[[Path], "Sequence[str] | None"]


def _line(lines: Sequence[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def position(lines: Sequence[str], line: int, character: int, encoding: Encoding) -> types.Position:
    line = max(line, 0)
    return types.Position(
        line=line, character=to_client_column(_line(lines, line), character, encoding)
    )


def lsp_range(where: Range, lines: Sequence[str], encoding: Encoding) -> types.Range:
    return types.Range(
        start=position(lines, where.start.line, where.start.character, encoding),
        end=position(lines, where.end.line, where.end.character, encoding),
    )


def code_point_column(lines: Sequence[str], line: int, character: int, encoding: Encoding) -> int:
    """A client column back in code points (for hover and code action positions)."""
    return from_client_column(_line(lines, line), character, encoding)


def fix_data(fix: Fix, lines: Sequence[str], encoding: Encoding) -> dict[str, Any]:
    """A fix as plain JSON for `Diagnostic.data`, with ranges already in client units."""
    return {
        "title": fix.title,
        "safe": fix.safe,
        "edits": [
            {
                "range": _range_json(lsp_range(edit.range, lines, encoding)),
                "newText": edit.new_text,
            }
            for edit in fix.edits
        ],
    }


def _range_json(value: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": value.start.line, "character": value.start.character},
        "end": {"line": value.end.line, "character": value.end.character},
    }


def _diagnostic(
    finding: Finding, lines: Sequence[str], encoding: Encoding, source: str
) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(finding.range, lines, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity.value],
        code=finding.code,
        source=source,
    )


def lint_diagnostic(
    finding: Finding,
    lines: Sequence[str],
    caps: ResolvedClientCapabilities,
    docs_base: str | None = None,
) -> types.Diagnostic:
    encoding = caps.position_encoding
    diagnostic = _diagnostic(finding, lines, encoding, LINT_SOURCE)
    if caps.code_description:
        href = docs_url(finding.code, docs_base)
        diagnostic.code_description = types.CodeDescription(href=href)
    if caps.diagnostic_data:
        diagnostic.data = {"fixes": [fix_data(fix, lines, encoding) for fix in finding.fixes]}
    if caps.related_information and finding.related:
        diagnostic.related_information = _related(finding.related, None, lines, None, encoding)
    return diagnostic


def run_diagnostic(
    finding: Finding,
    uri: str,
    lines: Sequence[str],
    caps: ResolvedClientCapabilities,
    lines_of: LinesOf,
    use_python: dict[str, str] | None = None,
) -> types.Diagnostic:
    """`use_python`: the argument of the diagnostic's "Use .venv/bin/python for runs" action
    (the project's interpreter that has the module the run missed), in `data` where the
    client keeps it."""
    encoding = caps.position_encoding
    diagnostic = _diagnostic(finding, lines, encoding, RUN_SOURCE)
    if use_python is not None and caps.diagnostic_data:
        diagnostic.data = {USE_PYTHON_KEY: use_python}
    if caps.related_information and finding.related:
        diagnostic.related_information = _related(finding.related, uri, lines, lines_of, encoding)
    return diagnostic


def _related(
    related: list[RelatedLocation],
    uri: str | None,
    lines: Sequence[str],
    lines_of: LinesOf | None,
    encoding: Encoding,
) -> list[types.DiagnosticRelatedInformation]:
    from pygls.uris import from_fs_path

    out = []
    for item in related:
        if item.path is None:
            if uri is None:
                continue
            target_uri, target_lines = uri, lines
        else:
            target_uri = from_fs_path(item.path) or item.path
            target_lines = (lines_of(Path(item.path)) if lines_of else None) or []
        out.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=target_uri, range=lsp_range(item.range, target_lines, encoding)
                ),
                message=item.message,
            )
        )
    return out


def command_fix(
    caps: ResolvedClientCapabilities, diagnostic: types.Diagnostic, command: types.Command
) -> types.CodeAction | types.Command:
    """A quick fix of `diagnostic` that runs `command`; the bare command for a client that
    takes no code action literals."""
    if not caps.code_action_literals:
        return command
    return types.CodeAction(
        title=command.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        command=command,
    )


def edits_from_data(data: Any) -> list[tuple[str, list[types.TextEdit], bool]] | None:
    """The fixes a diagnostic carries in `data` (None when it carries none we can read)."""
    if not isinstance(data, dict) or not isinstance(data.get("fixes"), list):
        return None
    fixes = []
    for fix in data["fixes"]:
        try:
            edits = [
                types.TextEdit(range=_range_from_json(edit["range"]), new_text=str(edit["newText"]))
                for edit in fix["edits"]
            ]
            fixes.append((str(fix["title"]), edits, bool(fix.get("safe", True))))
        except (KeyError, TypeError, ValueError):
            return None
    return fixes


def _range_from_json(value: Any) -> types.Range:
    start, end = value["start"], value["end"]
    return types.Range(
        start=types.Position(line=int(start["line"]), character=int(start["character"])),
        end=types.Position(line=int(end["line"]), character=int(end["character"])),
    )


def workspace_edit(
    uri: str,
    version: int | None,
    edits: list[types.TextEdit],
    caps: ResolvedClientCapabilities,
) -> types.WorkspaceEdit:
    """Edits of one document; versioned when the client can refuse stale edits."""
    if caps.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=version
                    ),
                    edits=list(edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: list(edits)})
