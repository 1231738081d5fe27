"""A run becomes a case: appended to the script's cases file, or the first case of a new one.

`scriptcontract run --save-case NAME` writes it here; the editor's "Add as case" sends the
same text as a workspace edit (`planned_addition`), so the editor's buffer and undo follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scriptcontract.cases.editing import (
    Edit,
    NotRecorded,
    add_case_edits,
    apply_edits,
    new_file_text,
    recorded_case,
    unique_name,
)
from scriptcontract.cases.files import (
    CasesFileChanged,
    cases_path,
    read_cases,
    write_cases,
)
from scriptcontract.cases.loading import CasesDocument, load_cases
from scriptcontract.cases.matching import Actual
from scriptcontract.project_files import ProjectFileError


class CaseNotAdded(Exception):
    """Why the run could not become a case; `str()` is the message for the user."""


@dataclass(frozen=True)
class Addition:
    """What adding the case changes: the file, its edits (or its whole text when new)."""

    path: Path
    name: str
    original: bytes | None  # None: the file does not exist yet
    document: CasesDocument | None
    edits: list[Edit]
    new_text: str | None  # the text of a new file


def default_name(inputs: dict[str, Any]) -> str:
    """A name that says what the case runs with, when the user gives none."""
    import json

    if not inputs:
        return "no inputs"
    shown = json.dumps(inputs, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def planned_addition(
    root: Path,
    script: Path,
    name: str | None,
    inputs: dict[str, Any],
    actual: Actual,
    *,
    text: str | None = None,
) -> Addition:
    """The case for this run, and where and how it goes; `CaseNotAdded` when it cannot.

    `text`: the cases file as an editor holds it (unsaved changes included), else it is
    read from disk."""
    path = cases_path(script)
    original: bytes | None = None
    document: CasesDocument | None = None
    if text is not None:
        document = load_cases(text)
    else:
        try:
            original, document = read_cases(root, path)
        except ProjectFileError as exc:
            if not exc.missing:
                raise CaseNotAdded(f"cannot read {path}: {exc.reason}") from None
    if document is not None and document.tree is None:
        problem = document.problems[0]
        line, column = document.lines.position(problem.start)
        raise CaseNotAdded(f"{path}:{line + 1}:{column + 1}: {problem.describe()}; fix it first")
    placeholders = dict(document.model.placeholders) if document and document.model else {}
    taken = [case_name for case_name, _ in document.case_names()] if document else []
    chosen = unique_name(name or default_name(inputs), taken)
    try:
        case = recorded_case(chosen, inputs, actual, placeholders)
    except NotRecorded as exc:
        raise CaseNotAdded(f"not saved as a case: {exc}") from None
    if document is None:
        return Addition(path, chosen, None, None, [], new_file_text(case))
    try:
        edits = add_case_edits(document, case)
    except ValueError as exc:
        raise CaseNotAdded(f"cannot add a case to {path}: {exc}") from None
    return Addition(path, chosen, original, document, edits, None)


def add_case(
    root: Path, script: Path, name: str | None, inputs: dict[str, Any], actual: Actual
) -> Addition:
    """Write the run as a new case of `script`; `CaseNotAdded` says why when it cannot."""
    addition = planned_addition(root, script, name, inputs, actual)
    if addition.document is not None:
        text = apply_edits(addition.document.text, addition.edits)
    else:
        assert addition.new_text is not None
        text = addition.new_text
    try:
        write_cases(root, addition.path, addition.original, text)
    except (CasesFileChanged, ProjectFileError) as exc:
        raise CaseNotAdded(str(exc)) from None
    return addition
