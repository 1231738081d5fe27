"""The template in the editor: the code action and the `workflow-script` completion item on a
blank workflow script, for every client profile (snippet or plain text, as the client can)."""

from __future__ import annotations

import re

from lsprotocol import types

from scriptcontract.contract.script_template import script_text
from tests.lsp.conftest import CLEAN, Session
from tests.lsp.test_code_actions import actions, edits_of, titled

ACTION = "Insert workflow script template"
LABEL = "workflow-script"


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """`edits` applied to `text`, last first, as a client applies them (ASCII texts: every
    position encoding counts the same)."""
    starts = [0] + [match.end() for match in re.finditer(r"\n", text)]

    def offset(where: types.Position) -> int:
        return starts[where.line] + where.character if where.line < len(starts) else len(text)

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def expand(snippet: str) -> tuple[str, list[int]]:
    """An LSP snippet with every placeholder left at its default, and its tab stops in order
    of appearance: just enough of the grammar to read ours (tab stops, placeholders,
    mirrors, escapes), and strict about everything else."""
    defaults: dict[int, list[str | int]] = {}
    stops: list[int] = []

    def parse(at: int, inside: bool) -> tuple[list[str | int], int]:
        out: list[str | int] = []
        while at < len(snippet):
            char = snippet[at]
            if char == "\\":
                assert snippet[at + 1] in "\\$}", f"stray backslash at {at}"
                out.append(snippet[at + 1])
                at += 2
            elif char == "$":
                plain = re.match(r"\$(\d+)", snippet[at:])
                holder = re.match(r"\$\{(\d+):", snippet[at:])
                if plain:
                    out.append(int(plain.group(1)))
                    stops.append(int(plain.group(1)))
                    at += plain.end()
                else:
                    assert holder, f"unexpected $ at {at}: {snippet[at : at + 20]!r}"
                    number = int(holder.group(1))
                    stops.append(number)
                    defaults[number], at = parse(at + holder.end(), True)
                    out.append(number)
            elif char == "}" and inside:
                return out, at + 1
            else:
                assert char != "}", f"unescaped }} at {at}"
                out.append(char)
                at += 1
        assert not inside, "unclosed placeholder"
        return out, at

    def text(parts: list[str | int]) -> str:
        return "".join(
            part if isinstance(part, str) else text(defaults.get(part, [])) for part in parts
        )

    parts, _ = parse(0, False)
    return text(parts), list(dict.fromkeys(stops))


def open_as_is(lsp: Session, relative: str, text: str) -> str:
    """Writes and opens `text` as it is (`Session.open` dedents and strips leading lines)."""
    path = lsp.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return lsp.open_uri(lsp.uri(relative), text)


def snippets(lsp: Session) -> bool:
    return lsp.profile != "emacs"  # its profile declares no snippet support


async def complete(lsp: Session, uri: str, line: int, character: int) -> list[types.CompletionItem]:
    answer = await lsp.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    if answer is None:
        return []
    return list(answer.items if isinstance(answer, types.CompletionList) else answer)


def accepted(lsp: Session, text: str, item: types.CompletionItem) -> str:
    """The document once the client accepted `item` with the defaults of its snippet."""
    main = item.text_edit
    assert isinstance(main, types.TextEdit), item
    assert main.range.start.line == main.range.end.line  # VS Code drops an item otherwise
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        new_text, stops = expand(main.new_text)
        assert stops == [1, 2, 0], main.new_text  # the input key, the result, the end
    else:
        new_text = main.new_text
    edits = [
        types.TextEdit(range=main.range, new_text=new_text),
        *(item.additional_text_edits or []),
    ]
    return apply(text, edits)


async def test_a_blank_script_is_offered_the_template_as_a_code_action(
    lsp: Session, name: str
) -> None:
    text = "\n   \n\t\n"
    uri = open_as_is(lsp, name, text)
    await lsp.round_trip()
    # A blank file reads and writes nothing, and is not reported: the action needs no finding.
    diagnostics = await lsp.diagnostics(uri, lambda found: True)
    assert diagnostics == []
    action = titled(await actions(lsp, uri, diagnostics, line=1), ACTION)
    assert action.kind == types.CodeActionKind.QuickFix
    fixed = apply(text, edits_of(action, uri))
    assert fixed == script_text()
    # The template, once in the buffer, is a script with no finding: the stray print added
    # first is the control that this buffer is analysed.
    lsp.replace_all(uri, fixed.replace("def main", 'print("x")\n\n\ndef main', 1))
    assert "SCR105" in {str(d.code) for d in await lsp.diagnostics(uri)}
    lsp.replace_all(uri, fixed)
    await lsp.diagnostics(uri, lambda found: not found)


async def test_the_template_action_is_offered_on_an_automatic_request_without_diagnostics(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, "")
    found = await actions(
        lsp, uri, [], trigger=types.CodeActionTriggerKind.Automatic, only=["quickfix"]
    )
    assert titled(found, ACTION).edit is not None


async def test_the_completion_item_inserts_the_template_in_an_empty_script(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, "")
    (item,) = await complete(lsp, uri, 0, 0)
    assert item.label == LABEL
    assert item.kind == types.CompletionItemKind.Snippet
    expected = types.InsertTextFormat.Snippet if snippets(lsp) else types.InsertTextFormat.PlainText
    assert item.insert_text_format == expected
    assert item.insert_text_mode == types.InsertTextMode.AsIs
    assert accepted(lsp, "", item) == script_text()


async def test_the_completion_replaces_the_typed_word_and_the_blank_lines_around_it(
    lsp: Session, name: str
) -> None:
    text = "\n\n  wor\n\n"
    uri = open_as_is(lsp, name, text)
    (item,) = await complete(lsp, uri, 2, 5)
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.range == types.Range(
        start=types.Position(line=2, character=2), end=types.Position(line=2, character=5)
    )
    assert accepted(lsp, text, item) == script_text()


async def test_neither_in_a_script_with_code_nor_in_a_file_that_is_no_script(
    lsp: Session, name: str
) -> None:
    written = lsp.open(name, CLEAN)
    helper = lsp.open(name.replace("scripts/", "lib/"), "wor")
    typed = lsp.open(name.replace(".py", "_typed.py"), "wor")
    # Positive controls: the same request on a script with nothing but the word in it.
    assert [item.label for item in await complete(lsp, typed, 0, 3)] == [LABEL]
    assert ACTION not in [a.title for a in await actions(lsp, typed, [])]  # not blank
    lsp.replace_all(typed, "\n")
    assert ACTION in [a.title for a in await actions(lsp, typed, [])]
    for uri in (written, helper):
        assert ACTION not in [a.title for a in await actions(lsp, uri, [])]
    assert await complete(lsp, written, 3, 0) == []
    assert await complete(lsp, helper, 0, 3) == []
    # The word must be the one at the cursor: anything else in the file rules it out.
    lsp.replace_all(typed, "wor x")
    assert await complete(lsp, typed, 0, 3) == []
