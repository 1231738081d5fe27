"""Lint one document: is it a workflow script, and what does the analyser find in it.

Pure (no LSP, no I/O): the server calls it off the event loop. The editor's severity
overrides apply here, after the analyser, by the longest matching code prefix; "off"
drops the finding.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Finding, Severity
from scriptcontract.contract.script_files import OPT_OUT, is_workflow_script, settings_for_path
from scriptcontract.contract.settings import LintSettings

if TYPE_CHECKING:
    from scriptcontract.contract.incremental import IncrementalParser
    from scriptcontract.contract.project_modules import ProjectModules


def relative_path(path: Path | None, root: Path | None) -> str | None:
    if path is None or root is None:
        return None
    try:
        return PurePath(path).relative_to(root).as_posix()
    except ValueError:
        return None


def is_script(
    text: str,
    path: Path | None,
    root: Path | None,
    settings: LintSettings,
    language_id: str = "python",
) -> bool:
    """Files follow the configuration; an untitled Python buffer is a script unless it opts out.
    A JSON document (an inputs or cases file the server is attached to) never is, whatever
    `include` matches: it has checks of its own."""
    if language_id in ("json", "jsonc"):
        return False
    if path is None:
        return language_id == "python" and OPT_OUT.search(text) is None
    return is_workflow_script(relative_path(path, root), text, settings)


def override(code: str, overrides: dict[str, str]) -> str | None:
    """The editor's severity for `code`: the entry with the longest matching prefix."""
    best = None
    for prefix, severity in overrides.items():
        if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, severity)
    return best[1] if best else None


def lint_text(
    text: str,
    path: Path | None,
    root: Path | None,
    settings: LintSettings,
    overrides: dict[str, str],
    language_id: str = "python",
    parser: IncrementalParser | None = None,
    modules: ProjectModules | None = None,
) -> list[Finding] | None:
    """The findings for a script, or None when the document is not a workflow script.

    `parser` keeps the document's last tree, so that an edit reparses only what it touched;
    `modules` is the script's project, whose own modules the analysis follows.
    """
    if not is_script(text, path, root, settings, language_id):
        return None
    settings = settings_for_path(settings, relative_path(path, root))
    findings = analyse(
        text,
        path=str(path) if path else None,
        settings=settings,
        parser=parser,
        modules=modules,
    )
    if not overrides:
        return findings
    kept = []
    for finding in findings:
        severity = override(finding.code, overrides)
        if severity == "off":
            continue
        if severity is not None and severity != finding.severity.value:
            finding = replace(finding, severity=Severity(severity))
        kept.append(finding)
    return kept
