"""Checking one file, in a worker process or inline: read, decide, analyse, maybe fix."""

from __future__ import annotations

import gc
import io
import os

from scriptcontract.check.discovery import Target
from scriptcontract.check.fixer import FileChanged, fix_until_stable, write_atomically
from scriptcontract.check.records import FileResult, Mode, Record, record_of
from scriptcontract.check.sources import (
    decode,
    decoding_problem,
    module_digest,
    read_module,
    read_script,
)
from scriptcontract.contract.analyze import analyse, parse
from scriptcontract.contract.finding import Finding
from scriptcontract.contract.project_modules import ModuleCache, ProjectModules
from scriptcontract.contract.rules.engine_rules import INTERNAL_ERROR, UNREADABLE_FILE
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.script_files import script_decision, settings_for_path
from scriptcontract.contract.selection import enabled_rules
from scriptcontract.contract.settings import LintSettings
from scriptcontract.digests import digest
from scriptcontract.project_files import ProjectFileError
from scriptcontract.shown_values import printable

# One per worker process: a module imported by many scripts is analysed once per run. A run
# is a snapshot: files are not expected to change while it lasts.
MODULES = ModuleCache(snapshot=True)


def tune_gc() -> None:
    """Collect less often: analysis makes many short-lived objects and few cycles."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def check_file(
    target: Target, settings: LintSettings, mode: Mode = "check", *, unsafe: bool = False
) -> FileResult:
    """Never raises: any failure becomes a finding of this file alone. `unsafe`: fixing
    applies the fixes not safe to apply automatically too."""
    settings = settings_for_path(settings, target.relative)
    looked: set[str] = set()
    try:
        result = _check(target, settings, mode, looked, unsafe)
        # What the findings also depend on: the project's modules the script imports
        # (and those it would import were they there), each as it was read.
        result.modules = {path: module_digest(path) for path in sorted(looked)}
    except Exception as exc:  # one file's failure must not stop the others
        result = FileResult(target.shown, True, [_record(INTERNAL_ERROR.meta, f"{exc!r}")])
    if result.records:
        # The findings made here (unreadable file, internal error) obey select/ignore too.
        enabled = enabled_rules(settings)
        result.records = [r for r in result.records if r.code in enabled]
    return result


def _check(
    target: Target, settings: LintSettings, mode: Mode, looked: set[str], unsafe: bool
) -> FileResult:
    if target.text is not None:
        raw = target.text.encode("utf-8")
    else:
        try:
            raw = read_script(target.path)
        except ProjectFileError as exc:
            reason = f"cannot read the file: {exc.reason}"
            return FileResult(
                target.shown, True, [_record(UNREADABLE_FILE.meta, reason, summary=False)]
            )
    stamp = digest(raw)
    try:
        source = target.text if target.text is not None else decode(raw)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        # Not text: a finding only when the file would be a script by its path alone.
        why = script_decision(target.relative, None, settings, named=target.named)
        if why is not None:
            return FileResult(target.shown, False, skipped=why, digest=stamp)
        return FileResult(
            target.shown,
            True,
            [_record(UNREADABLE_FILE.meta, _undecodable(exc), summary=False)],
            digest=stamp,
        )
    why = script_decision(target.relative, source, settings, named=target.named)
    if why is not None:
        return FileResult(target.shown, False, skipped=why, digest=stamp)
    if mode == "decide":
        return FileResult(target.shown, True, digest=stamp)
    root = target.root or os.path.dirname(target.path)

    def run(text: str) -> list[Finding]:
        modules = ProjectModules(read_module, root, MODULES)
        try:
            return analyse(text, path=target.path, settings=settings, modules=modules)
        finally:
            looked.update(modules.used)

    def records(findings: list[Finding], text: str) -> list[Record]:
        lines = text.splitlines() if findings else []
        return [record_of(finding, lines) for finding in findings]

    if mode == "check":
        return FileResult(target.shown, True, records(run(source), source), digest=stamp)

    def parses(text: str) -> bool:
        try:
            parse(text, target.path, settings)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return True

    if not parses(source):
        return FileResult(target.shown, True, records(run(source), source), digest=stamp)
    fixed_text, fixed, findings = fix_until_stable(source, run, parses, unsafe=unsafe)
    if mode == "diff":
        # What is left after the fixes, so that the count of what remains is right.
        result = FileResult(target.shown, True, records(findings, fixed_text), fixed)
        result.diff = unified_diff(target.shown, source, fixed_text) if fixed else ""
        return result
    result = FileResult(target.shown, True, records(findings, fixed_text), fixed, digest=stamp)
    if target.text is not None:
        result.fixed_text = fixed_text
    elif fixed:
        new = encode_like(fixed_text, raw)
        try:
            write_atomically(target.path, raw, new, target.root)
            result.digest = digest(new)
        except FileChanged:
            result = FileResult(
                target.shown, True, records(run(source), source), [], "changed while checked"
            )
        except ProjectFileError as exc:
            result = FileResult(
                target.shown, True, records(run(source), source), [], f"not written: {exc.reason}"
            )
        except (OSError, UnicodeEncodeError) as exc:
            result = FileResult(
                target.shown, True, records(run(source), source), [], f"not written: {exc}"
            )
    return result


def _undecodable(exc: Exception) -> str:
    """Why the bytes are not text, and what makes them so: the rule's summary read badly
    before the decoder's words ("... (`scriptcontract check` only). invalid or missing...")."""
    return f"cannot decode the file: {decoding_problem(exc)}"


def unified_diff(shown: str, before: str, after: str) -> str:
    import difflib  # only for --diff

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    # The script's lines are shown, their escape sequences not obeyed (nor applied by
    # `patch`: a diff of a file holding control characters is for reading).
    return "".join(printable(line if line.endswith("\n") else line + "\n") for line in lines)


def encode_like(text: str, raw: bytes) -> bytes:
    import tokenize  # only when writing a fix

    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return text.encode(encoding)


def internal_error(detail: str) -> Record:
    return _record(INTERNAL_ERROR.meta, detail, summary=False)


def _record(meta: RuleMeta, detail: str, *, summary: bool = True) -> Record:
    return Record(
        code=meta.code,
        name=meta.name,
        severity=meta.severity.value,
        message=f"{meta.summary} {detail}".strip() if summary else detail,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        url=meta.url,
        source_line="",
        fixes=[],
        related=[],
    )
