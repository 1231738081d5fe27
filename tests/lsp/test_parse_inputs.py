"""Inputs typed in a prompt: parsed by the server, or what is wrong with them in words."""

from __future__ import annotations

import pytest

from scriptcontract.inputs_text import parse_inputs_text
from tests.lsp.conftest import Session


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"numbers": [1, 2',
            "a comma or a closing bracket is missing at column 18 (the text ends",
        ),
        ('{"a": 1,}', "a comma cannot come before } in JSON at column 9"),
        ("{name: 1}", "keys need double quotes at column 2"),
        ("[1, 2]", "The inputs must be a JSON object ({...}), not a list."),
    ],
)
async def test_typed_inputs_that_are_not_an_object_are_explained_in_words(
    lsp: Session, text: str, problem: str
) -> None:
    answer = await lsp.command("scriptcontract.parseInputs", {"text": text})
    assert answer["inputs"] is None
    assert problem in answer["problem"]
    assert "T_END" not in answer["problem"] and "Expecting" not in answer["problem"]


async def test_typed_inputs_that_are_an_object_come_back_parsed(lsp: Session) -> None:
    answer = await lsp.command("scriptcontract.parseInputs", {"text": '{"name": "Ada", "n": [1]}'})
    assert answer == {"inputs": {"name": "Ada", "n": [1]}, "problem": None}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Type a JSON object, for example {} for no inputs."),
        ("{'a': 1}", "Not valid JSON: strings need double quotes, not single ones at column 2"),
        ('{"a": tru}', 'Not valid JSON: a value is expected at column 7 (found "tru}").'),
        ('{"a": 1} x', "there is more text after the JSON object at column 10"),
        ('{"a": "x', "a string is not closed at column 7"),
        ('{"a": NaN}', "Not valid JSON: NaN is not a JSON number (write a number, or null)."),
        ('{\n "a": 1\n "b": 2}', "a comma or a closing bracket is missing at line 3, column 2"),
        ("3", "The inputs must be a JSON object ({...}), not a number."),
    ],
)
def test_what_is_wrong_is_said_with_where(text: str, problem: str) -> None:
    inputs, found = parse_inputs_text(text)
    assert inputs is None and found is not None
    assert problem in found
