"""Checking one file, in a worker process or inline: read, decide, analyse, maybe fix."""

from __future__ import annotations

import gc
import io
import os
import tokenize
from dataclasses import dataclass, field

from scriptcontract.check.discovery import Target
from scriptcontract.check.fixer import FileChanged, fix_until_stable, write_atomically
from scriptcontract.check.sources import decode, read_module
from scriptcontract.contract.analyze import analyse, parse
from scriptcontract.contract.finding import Finding, Range
from scriptcontract.contract.project_modules import ModuleCache, ProjectModules
from scriptcontract.contract.rules.engine_rules import INTERNAL_ERROR, UNREADABLE_FILE
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.script_files import is_workflow_script
from scriptcontract.contract.selection import enabled_rules
from scriptcontract.contract.settings import LintSettings

# One per worker process: a module imported by many scripts is analysed once per run. A run
# is a snapshot: files are not expected to change while it lasts.
MODULES = ModuleCache(snapshot=True)


@dataclass
class FileResult:
    shown: str
    checked: bool  # False: not a workflow script
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    note: str | None = None  # why a fix was not written


def tune_gc() -> None:
    """Collect less often: analysis makes many short-lived objects and few cycles."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def check_file(target: Target, settings: LintSettings, fix: bool) -> FileResult:
    """Never raises: any failure becomes a finding of this file alone."""
    try:
        result = _check(target, settings, fix)
    except Exception as exc:  # one file's failure must not stop the others
        result = FileResult(target.shown, True, [_finding(INTERNAL_ERROR.meta, f"{exc!r}")])
    if result.findings:
        # The findings made here (unreadable file, internal error) obey select/ignore too.
        enabled = enabled_rules(settings)
        result.findings = [f for f in result.findings if f.code in enabled]
    return result


def _check(target: Target, settings: LintSettings, fix: bool) -> FileResult:
    try:
        with open(target.path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return FileResult(
            target.shown, True, [_finding(UNREADABLE_FILE.meta, exc.strerror or str(exc))]
        )
    try:
        source = decode(raw)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileResult(target.shown, True, [_finding(UNREADABLE_FILE.meta, str(exc))])
    if not is_workflow_script(target.relative, source, settings):
        return FileResult(target.shown, False)
    root = target.root or os.path.dirname(target.path)

    def run(text: str) -> list[Finding]:
        modules = ProjectModules(read_module, root, MODULES)
        return analyse(text, path=target.path, settings=settings, modules=modules)

    if not fix:
        return FileResult(target.shown, True, run(source))

    def parses(text: str) -> bool:
        try:
            parse(text, target.path, settings)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return True

    if not parses(source):
        return FileResult(target.shown, True, run(source))
    fixed_text, count, findings = fix_until_stable(source, run, parses)
    result = FileResult(target.shown, True, findings, count)
    if count:
        try:
            write_atomically(target.path, raw, encode_like(fixed_text, raw))
        except FileChanged:
            result = FileResult(target.shown, True, run(source), 0, "changed while checked")
        except (OSError, UnicodeEncodeError) as exc:
            result = FileResult(target.shown, True, run(source), 0, f"not written: {exc}")
    return result


def encode_like(text: str, raw: bytes) -> bytes:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return text.encode(encoding)


def _finding(meta: RuleMeta, detail: str) -> Finding:
    return Finding(
        code=meta.code,
        name=meta.name,
        message=f"{meta.summary} {detail}".strip(),
        severity=meta.severity,
        range=Range.of(0, 0, 0, 0),
    )
