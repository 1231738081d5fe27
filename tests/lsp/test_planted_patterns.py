"""Patterns a run could have planted, matched by the language server under a time limit.

A script's declared schema (`<name>.schema.json`) and its cases file sit beside it, where
runs may write. The server matches their regular expressions outside the sandbox: a
schema's `pattern` when it checks an open inputs file, a case's `matches` when the editor
runs the cases. A pattern that backtracks for ever (`^(a+)+$` against forty `a` and a
`!`) would hold the thread that checks or runs for good. Each test below first shows the
same check with a pattern that does not backtrack (the positive control: the path is the
one the planted pattern takes), then the planted pattern: the check or the case ends,
says why, and the server keeps answering.
"""

from __future__ import annotations

import json

import pytest

from tests.lsp.conftest import Session
from tests.lsp.test_cases import cases_text, script_and_cases

INPUTS_SOURCE = "scriptcontract-inputs"
DEFEATS = "a" * 40 + "!"  # what `^(a+)+$` backtracks on: every way to split the a's
TOO_SLOW = "was still being matched after 2 s"
SCRIPT = """import json
import sys

inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "name": inputs["name"]}))
"""
WRITES_STDERR = """import json
import sys

sys.stdin.read()
sys.stderr.write("a" * 40 + "!")
print(json.dumps({"success": True}))
"""


def _schema(pattern: str) -> str:
    return json.dumps({"type": "object", "properties": {"name": {"pattern": pattern}}})


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("^a+$", "does not match '^a+$'"), ("^(a+)+$", TOO_SLOW)],
    ids=["control", "planted"],
)
async def test_an_inputs_file_is_checked_against_a_planted_pattern_in_bounded_time(
    lsp: Session, name: str, pattern: str, expected: str
) -> None:
    lsp.write(name, SCRIPT)
    lsp.write(name.replace(".py", ".schema.json"), _schema(pattern))
    uri = lsp.open(
        name.replace(".py", ".inputs.json"), json.dumps({"name": DEFEATS}), language_id="json"
    )
    found = await lsp.diagnostics(
        uri, lambda d: any(expected in x.message for x in d), source=INPUTS_SOURCE
    )
    assert all("schema declared in" in d.message for d in found), found
    # The server still checks the file as it is edited: a value the pattern accepts at once.
    lsp.replace_all(uri, json.dumps({"name": "aaa"}))
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("^a+$", "expected a text matching /^a+$/"), ("^(a+)+$", TOO_SLOW)],
    ids=["control", "planted"],
)
async def test_a_case_run_from_the_editor_matches_a_planted_pattern_in_bounded_time(
    lsp: Session, name: str, pattern: str, expected: str
) -> None:
    uri, cases_file = script_and_cases(
        lsp, name, {"name": "stderr", "expect": {"stderr": {"matches": pattern}}}
    )
    lsp.write(name, WRITES_STDERR)
    lsp.replace_all(uri, WRITES_STDERR)
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    (case,) = answer["cases"]
    assert case["outcome"] == "failed", case
    assert any(expected in d["message"] for d in case["differences"]), case
    # The server answers the next run, which the pattern's child process serves again.
    cases_file.write_text(cases_text({"name": "plain", "expect": {"stderr": {"matches": "!"}}}))
    answer = await lsp.command("scriptcontract.runCases", {"uri": uri})
    assert [case["outcome"] for case in answer["cases"]] == ["passed"], answer
