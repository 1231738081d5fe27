"""Typing through a state that does not parse: the syntax error shows beside the findings
outside the statement being typed, which neither vanish nor flicker."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.conftest import Session

TWO_FUNCTIONS = """
import json
import sys


def helper():
    print("debug helper")
    return 1


def main(inputs):
    print("debug main")
    return {"success": True}


if __name__ == "__main__":
    inputs = json.load(sys.stdin)
    print(json.dumps(main(inputs)))
"""
# (code, 0-based line) of the findings above: a stray print in each function, and the
# main block's empty-stdin and error-handling findings.
FINDINGS = sorted([("SCR105", 5), ("SCR105", 10), ("SCR103", 15), ("SCR202", 15)])


def shown(found: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in found)


async def test_a_half_typed_statement_keeps_the_findings_outside_it(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, TWO_FUNCTIONS)
    assert shown(await lsp.diagnostics(uri, lambda d: shown(d) == FINDINGS)) == FINDINGS
    # In helper(), a line that does not parse yet, pushing the lines below one down.
    lsp.edit(uri, (6, 0), (6, 0), "    total = sum(\n")
    broken = shown(await lsp.diagnostics(uri, lambda d: "SCR001" in [c for c, _ in shown(d)]))
    (syntax,) = [line for code, line in broken if code == "SCR001"]
    assert 5 <= syntax <= 7  # in helper()
    # helper()'s own finding is not claimed while it is broken; the others stay, moved.
    assert [f for f in broken if f[0] != "SCR001"] == sorted(
        [("SCR105", 11), ("SCR103", 16), ("SCR202", 16)]
    )
    # Typing on: still broken, the same findings stay.
    lsp.edit(uri, (6, 20), (6, 20), "[1, 2")
    again = await lsp.diagnostics(uri, lambda d: any("'['" in x.message for x in d))
    assert [f for f in shown(again) if f[0] != "SCR001"] == [f for f in broken if f[0] != "SCR001"]
    # Done: it parses, every finding is the analyser's own again.
    lsp.edit(uri, (6, 25), (6, 25), "])")
    done = await lsp.diagnostics(uri, lambda d: "SCR001" not in [c for c, _ in shown(d)])
    assert shown(done) == sorted([("SCR105", 5), ("SCR105", 11), ("SCR103", 16), ("SCR202", 16)])


async def test_a_new_statement_being_typed_after_a_function_keeps_that_functions_findings(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, TWO_FUNCTIONS)
    await lsp.diagnostics(uri, lambda d: shown(d) == FINDINGS)
    lsp.edit(uri, (8, 0), (8, 0), "LIMIT = (\n")  # in the blank lines after helper()
    broken = shown(await lsp.diagnostics(uri, lambda d: "SCR001" in [c for c, _ in shown(d)]))
    assert ("SCR105", 5) in broken  # helper() was not touched
