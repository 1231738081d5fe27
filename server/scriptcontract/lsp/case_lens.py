"""Code lenses of recorded cases: "▶ Run case" on each case, "▶ Run N cases" on the script.

Each shows the outcome of its last run ("✓ 12 ms", "✗ output differs"); after "Run with
inputs", the script also offers "+ Add as case".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.case_runs import CasesRefused, is_cases_path
from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.names import ADD_CASE, RUN_CASES

if TYPE_CHECKING:
    from scriptcontract.lsp.server import ScriptContractServer

RUN_CASE = "▶ Run case"
ADD_AS_CASE = "+ Add as case"


def _lens(line: int, title: str, command: str, argument: dict[str, Any]) -> types.CodeLens:
    where = types.Range(
        start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
    )
    return types.CodeLens(
        range=where, command=types.Command(title=title, command=command, arguments=[argument])
    )


def _titled(title: str, outcome: str | None) -> str:
    # As the run lens says it ("▶ Run with inputs · ✓ 35 ms"): one separator, no double space.
    return f"{title} · {outcome}" if outcome else title


async def cases_file_lenses(ls: ScriptContractServer, document: Document) -> list[types.CodeLens]:
    """On a cases file: "▶ Run all N cases" on its list, "▶ Run case" on each case."""
    text = document.text
    cases = await ls.case_runs.parsed(text)
    if document.text is not text:
        return []  # edited meanwhile: the client asks again
    named = cases.case_names()
    if not named or cases.tree is None:
        return []
    run = ls.case_runs.last_run(document.uri)
    if run is not None and run.text != document.text:
        run = None
    array = cases.tree.member("cases")
    top = cases.lines.position(array.key_start)[0] if array is not None else 0
    plural = "s" if len(named) != 1 else ""
    lenses = [_lens(top, f"▶ Run all {len(named)} case{plural}", RUN_CASES, {"uri": document.uri})]
    for name, node in named:
        line = cases.lines.position(node.start)[0]
        outcome = run.outcome(name) if run is not None else None
        argument = {"uri": document.uri, "names": [name]}
        lenses.append(_lens(line, _titled(RUN_CASE, outcome), RUN_CASES, argument))
    return lenses


async def script_lenses(
    ls: ScriptContractServer, document: Document, line: int
) -> list[types.CodeLens]:
    """On a script's `line`: its cases, and "Add as case" after a run."""
    lenses = []
    if ls.runs.last_run(document.uri) is not None:
        lenses.append(_lens(line, ADD_AS_CASE, ADD_CASE, {"uri": document.uri}))
    try:
        files = ls.case_runs.files_of(document.uri)
        cases = await ls.case_runs.load(files)
    except CasesRefused:
        return lenses
    if cases is None:
        return lenses
    count = len(cases.case_names())
    if count:
        title = f"▶ Run {count} case{'s' if count != 1 else ''}"
        lenses.append(
            _lens(
                line,
                _titled(title, _summary(ls, files.cases_uri)),
                RUN_CASES,
                {"uri": document.uri},
            )
        )
    return lenses


def _summary(ls: ScriptContractServer, cases_uri: str) -> str | None:
    run = ls.case_runs.last_run(cases_uri)
    if run is None or not run.results:
        return None
    failed = sum(result.outcome != "passed" for result in run.results.values())
    total = len(run.results)
    return f"✗ {failed} of {total} failed" if failed else f"✓ {total} passed"


def is_cases_document(document: Document) -> bool:
    return is_cases_path(document.path)
