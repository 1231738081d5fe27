"""An editor's run checks its inputs against the script's schema first, as `scriptcontract run`
does: a declared schema refuses (nothing starts) until the user runs anyway; the schema
inferred from the code only warns, the run going on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from tests.lsp.test_runs import run_args

# The run leaves a file behind: whether the script started is seen on disk.
MARKS_ITS_RUN = """
import json
import sys
from pathlib import Path

inputs = json.load(sys.stdin)
Path(__file__).with_suffix(".ran").write_text("ran", encoding="utf-8")
print(json.dumps({"success": True, "n": inputs.get("n")}))
"""
SCHEMA = {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}

GREETS = """
import json
import sys

inputs = json.load(sys.stdin)
name = inputs.get("name", "World")
print(json.dumps({"success": True, "message": f"Hello, {name}!"}))
"""


async def test_inputs_the_declared_schema_refuses_start_nothing_until_run_anyway(
    lsp: Session, name: str
) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    marker = (lsp.root / name).with_suffix(".ran")
    schema_file = (lsp.root / name).with_suffix(".schema.json")
    schema_file.write_text(json.dumps(SCHEMA), encoding="utf-8")

    refused = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"n": "x"}))
    assert refused["success"] is False and refused["error_kind"] == "validation"
    shown = Path(name).with_suffix(".schema.json").as_posix()  # as in the project
    assert refused["error"] == (
        f"Not run: the inputs do not match the declared schema {shown}; nothing was run "
        '("Run anyway" runs it):\n  - n: expected integer, got "x" (string)'
    )
    assert refused["runAnyway"] == {"schemaCheck": False}
    await lsp.round_trip()
    assert not marker.exists()

    # The control: the same inputs, run anyway, start the script.
    forced = await lsp.command(
        "scriptcontract.runNow", run_args(lsp, name, inputs={"n": "x"}, schemaCheck=False)
    )
    assert forced["success"] is True, forced
    assert marker.read_text(encoding="utf-8") == "ran"
    marker.unlink()

    good = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"n": 1}))
    assert good["success"] is True and "runAnyway" not in good and "warning" not in good
    assert marker.exists()


async def test_an_unusable_declared_schema_refuses_saying_why(lsp: Session, name: str) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    broken = {"type": "object", "properties": {"n": {"$ref": "#/$defs/missing"}}}
    (lsp.root / name).with_suffix(".schema.json").write_text(json.dumps(broken), encoding="utf-8")
    refused = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"n": 1}))
    assert refused["error_kind"] == "validation"
    assert 'cannot be used: its $ref "#/$defs/missing" leads nowhere' in refused["error"]
    assert refused["runAnyway"] == {"schemaCheck": False}
    await lsp.round_trip()
    assert not (lsp.root / name).with_suffix(".ran").exists()


async def test_a_key_the_script_never_reads_is_a_warning_and_the_run_goes_on(
    lsp: Session, name: str
) -> None:
    lsp.open(name, GREETS)
    typo = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"nam": "Ada"}))
    assert typo["success"] is True and typo["output"]["message"] == "Hello, World!"
    script = Path(name).name
    assert typo["warning"] == (
        "the inputs may not be what the script reads (schema inferred from the code; "
        f"`scriptcontract schema {name} --write` declares one):\n"
        f"  - nam: {script} never reads this key (did you mean name?)"
    )
    warned = [
        m.message
        for m in lsp.client.messages
        if m.type == types.MessageType.Warning and "never reads this key" in m.message
    ]
    # Once, as a message: these clients do not show a run's outcome themselves (the
    # extension and the plugin do, `runOutcomes`, and show the answer's warning).
    assert warned == [f"{script}: {typo['warning']}"]

    # The control: the key the script reads, no warning.
    lsp.client.messages.clear()
    read = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"name": "Ada"}))
    assert read["output"]["message"] == "Hello, Ada!" and "warning" not in read
    await lsp.round_trip()
    assert not [m for m in lsp.client.messages if "never reads" in m.message]


async def test_cases_whose_inputs_the_declared_schema_refuses_run_only_anyway(
    lsp: Session, name: str
) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    script = lsp.root / name
    marker = script.with_suffix(".ran")
    script.with_suffix(".schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    cases = [
        {"name": "counts", "inputs": {"n": 1}, "expect": {"success": True}},
        {"name": "wrong type", "inputs": {"n": "x"}, "expect": {"success": True}},
        # Expects the failure: its inputs break the schema on purpose, and are not checked.
        {"name": "refused on purpose", "inputs": {}, "expect": {"success": False}},
    ]
    script.with_suffix(".cases.json").write_text(json.dumps({"cases": cases}), encoding="utf-8")

    refused = await lsp.command("scriptcontract.runCases", {"uri": lsp.uri(name)})
    shown = Path(name).with_suffix(".schema.json").as_posix()
    assert refused["cases"] == [] and refused["runAnyway"] == {"schemaCheck": False}
    assert refused["error"] == (
        "Not run: inputs that do not match the declared schema; nothing was run "
        '("Run anyway" runs them):\n'
        f"  {script.name}::wrong type (against {shown}):\n"
        '    - n: expected integer, got "x" (string)'
    )
    await lsp.round_trip()
    assert not marker.exists()

    # The controls: the cases whose inputs match run, and so do all of them run anyway.
    good = await lsp.command(
        "scriptcontract.runCases", {"uri": lsp.uri(name), "names": ["counts", "refused on purpose"]}
    )
    assert "error" not in good and [c["name"] for c in good["cases"]] == [
        "counts",
        "refused on purpose",
    ]
    assert marker.exists()
    marker.unlink()
    forced = await lsp.command(
        "scriptcontract.runCases", {"uri": lsp.uri(name), "schemaCheck": False}
    )
    assert len(forced["cases"]) == 3 and "runAnyway" not in forced, forced
    assert marker.exists()


async def test_a_refusal_of_cases_names_each_refused_case_with_its_own_problems(
    lsp: Session, name: str
) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    script = lsp.root / name
    script.with_suffix(".schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    cases = [
        {"name": "counts", "inputs": {"n": 1}, "expect": {"success": True}},
        {"name": "wrong type", "inputs": {"n": "x"}, "expect": {"success": True}},
        {"name": "missing", "inputs": {}, "expect": {"success": True}},
    ]
    script.with_suffix(".cases.json").write_text(json.dumps({"cases": cases}), encoding="utf-8")

    refused = await lsp.command("scriptcontract.runCases", {"uri": lsp.uri(name)})
    shown = Path(name).with_suffix(".schema.json").as_posix()
    # Where each is, as a run of the cases places them (the client's position encoding).
    ranges = [entry.pop("range") for entry in refused["refused"]]
    # An editor can error these two alone, with why, and run "counts" (named by no entry).
    assert refused["refused"] == [
        {
            "name": "wrong type",
            "message": f"Not run: the inputs do not match the declared schema {shown}; nothing "
            'was run ("Run anyway" runs it):\n  - n: expected integer, got "x" (string)',
        },
        {
            "name": "missing",
            "message": f"Not run: the inputs do not match the declared schema {shown}; nothing "
            'was run ("Run anyway" runs it):\n  - n: expected a value (required), got nothing',
        },
    ]
    assert refused["cases"] == [] and refused["runAnyway"] == {"schemaCheck": False}
    assert refused["casesUri"] == lsp.uri(Path(name).with_suffix(".cases.json").as_posix())
    await lsp.round_trip()
    assert not script.with_suffix(".ran").exists()
    forced = await lsp.command(
        "scriptcontract.runCases", {"uri": lsp.uri(name), "schemaCheck": False}
    )
    assert ranges == [case["range"] for case in forced["cases"][1:]], (ranges, forced)
    assert len({json.dumps(where) for where in ranges}) == 2, ranges


async def test_a_schema_that_cannot_be_used_refuses_cases_without_naming_any(
    lsp: Session, name: str
) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    script = lsp.root / name
    broken = {"type": "object", "properties": {"n": {"$ref": "#/$defs/missing"}}}
    script.with_suffix(".schema.json").write_text(json.dumps(broken), encoding="utf-8")
    cases = [{"name": "counts", "inputs": {"n": 1}, "expect": {"success": True}}]
    script.with_suffix(".cases.json").write_text(json.dumps({"cases": cases}), encoding="utf-8")
    refused = await lsp.command("scriptcontract.runCases", {"uri": lsp.uri(name)})
    # Every case is refused alike: no list of some of them that a client would run around.
    assert "leads nowhere" in refused["error"] and "refused" not in refused, refused
    assert refused["runAnyway"] == {"schemaCheck": False}


async def test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway(
    lsp: Session, name: str
) -> None:
    lsp.open(name, MARKS_ITS_RUN)
    (lsp.root / name).with_suffix(".schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    arguments = {"uri": lsp.uri(name), "inputs": {"n": "x"}}
    with pytest.raises(JsonRpcException) as refused:
        await lsp.command("scriptcontract.debugConfiguration", arguments)
    assert str(refused.value).startswith(
        "Not debugged: the inputs do not match the declared schema "
        f"{Path(name).with_suffix('.schema.json').as_posix()}; nothing was run "
        '("Debug anyway" starts it):\n  - n: expected integer, got "x" (string)'
    ), refused.value
    assert refused.value.data == {"runAnyway": {"schemaCheck": False}}
    # The control: what the refusal names, added, gives the session's configuration.
    forced = await lsp.command(
        "scriptcontract.debugConfiguration", {**arguments, **refused.value.data["runAnyway"]}
    )
    assert forced["inputs"] == {"n": "x"} and forced["run"]["schemaCheck"] is False
