"""Applying fixes (the safe ones; every one with `--unsafe-fixes`) to a script's text, and
writing the result without losing anything.

Edits of one round never overlap (a fix that would overlap an earlier one waits for the next
round, after re-analysis); identical edits from several fixes (the same `import sys`) are
applied once. A result that does not parse is never written, and neither is a file that
changed on disk since it was read.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from scriptcontract.check.records import Fixed
from scriptcontract.contract.finding import Finding, TextEdit
from scriptcontract.contract.positions import LineIndex

MAX_ROUNDS = 10


def apply_safe_fixes(source: str, findings: list[Finding]) -> tuple[str, int]:
    """The text with every non-overlapping safe fix applied, and how many were applied."""
    text, applied = _apply(source, findings)
    return text, len(applied)


def _apply(source: str, findings: list[Finding], unsafe: bool = False) -> tuple[str, list[Fixed]]:
    lines = LineIndex(source)
    accepted: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int, str]] = set()
    applied: list[Fixed] = []
    for finding in findings:
        for fix in finding.fixes:
            if not (fix.safe or unsafe):
                continue
            spans = [_span(lines, edit) for edit in fix.edits]
            fresh = [span for span in spans if span not in seen]
            if any(_overlaps(span, accepted) for span in fresh):
                continue
            accepted.extend(fresh)
            seen.update(spans)
            applied.append(Fixed(finding.code, fix.title))
            break  # one fix per finding
    if not accepted:
        return source, []
    text = source
    for start, end, new_text in sorted(accepted, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new_text + text[end:]
    return text, applied


def fix_until_stable(
    source: str,
    analyse: Callable[[str], list[Finding]],
    parses: Callable[[str], bool],
    *,
    unsafe: bool = False,
) -> tuple[str, list[Fixed], list[Finding]]:
    """Fix, re-analyse and repeat until nothing more applies; never keep a text that breaks.

    Returns the fixed text, the fixes applied and the findings left in it. `unsafe`: apply
    the fixes that may change what the script does too (`--unsafe-fixes`).
    """
    done: list[Fixed] = []
    findings = analyse(source)
    for _ in range(MAX_ROUNDS):
        fixed, applied = _apply(source, findings, unsafe)
        if not applied or fixed == source or not parses(fixed):
            break
        source = fixed
        done += applied
        findings = analyse(source)
    return source, done, findings


def _span(lines: LineIndex, edit: TextEdit) -> tuple[int, int, str]:
    return lines.offset(edit.range.start), lines.offset(edit.range.end), edit.new_text


def _overlaps(span: tuple[int, int, str], accepted: list[tuple[int, int, str]]) -> bool:
    start, end, _ = span
    for other_start, other_end, _ in accepted:
        if start < other_end and other_start < end:
            return True
        if start == end == other_start == other_end:
            return True  # two different insertions at one point: order would be a guess
    return False


class FileChanged(Exception):
    """The file on disk is no longer the text that was analysed."""


def write_atomically(path: str, original: bytes, new: bytes, root: str | None = None) -> None:
    """Replace `path` with `new` unless its content is no longer `original`.

    A symlink is written through when it leads to a file inside the project (`root`; for a
    file of no project, the folder check was started in, as its walk takes it, or the
    file's folder as named when it lies elsewhere): its target is replaced, and the link
    stays a link. One a run left leading out is refused (`ProjectWriteError`), never
    followed.
    """
    from scriptcontract.project_writes import ProjectFileChanged, write_project_file

    # Replacing the link itself would turn it into a copy that silently parts from the
    # file it pointed to (a script shared between projects).
    try:
        write_project_file(
            root or _base_of(os.path.abspath(path)),
            path,
            new,
            expect=original,
            follow_link=True,
        )
    except ProjectFileChanged:
        raise FileChanged(path) from None


def _base_of(path: str) -> str:
    here = os.getcwd()
    inside = os.path.commonpath([here, path]) == here
    return here if inside else os.path.dirname(path)
