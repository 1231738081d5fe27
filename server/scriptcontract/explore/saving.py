"""A failure found by exploration becomes a recorded case of its script.

The case is written as "Add as case" and `run --save-case` write one (the same writer:
the file's layout kept, written atomically, never over an edit made meanwhile): its inputs
and what the run gave. Once the script is fixed, the case fails and `scriptcontract test
--update` records the new answer. An input some case already runs with is not saved twice.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptcontract.cases.loading import CasesDocument
    from scriptcontract.explore.session import Exploration, Found


@dataclass(frozen=True)
class Saved:
    """The case a failure was saved as, or why it was not."""

    name: str | None
    problem: str | None = None

    def describe(self) -> str:
        return f"saved as the case {self.name!r}" if self.name else f"not saved: {self.problem}"


def case_name(found: Found) -> str:
    signature = found.signature
    what = signature.error_type if signature.kind == "exception" else signature.kind
    where = f" at line {signature.line}" if signature.line is not None else ""
    return f"explored: {what}{where}"


def case_with_inputs(document: CasesDocument | None, inputs: dict[str, Any]) -> str | None:
    """The name of a case of `document` that runs with exactly `inputs`, if any."""
    if document is None:
        return None
    wanted = json.dumps(inputs, sort_keys=True)
    for case in document.cases:
        if case.inputs_file is None and json.dumps(case.inputs or {}, sort_keys=True) == wanted:
            return case.name
    return None


def save_failure(exploration: Exploration, found: Found) -> Saved:
    """Save `found` as a case of its script."""
    from scriptcontract.case_runner import actual_of
    from scriptcontract.cases.adding import CaseNotAdded, add_case
    from scriptcontract.cases.files import cases_path, read_cases
    from scriptcontract.project_files import ProjectFileError

    document = None
    # Missing: created below; unreadable: add_case says why.
    with contextlib.suppress(ProjectFileError):
        document = read_cases(exploration.root, cases_path(exploration.script))[1]
    existing = case_with_inputs(document, found.inputs)
    if existing is not None:
        return Saved(None, f"the case {existing!r} already runs with this input")
    try:
        addition = add_case(
            exploration.root,
            exploration.script,
            case_name(found),
            found.inputs,
            actual_of(found.result),
        )
    except CaseNotAdded as exc:
        return Saved(None, str(exc))
    return Saved(addition.name)
