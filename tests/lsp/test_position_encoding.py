"""The position-encoding module on its own: code points to UTF-8/16/32 and back."""

from __future__ import annotations

import pytest

from scriptcontract.lsp.documents import Document, split_lines
from scriptcontract.lsp.position_encoding import from_client_column, negotiate, to_client_column

LINE = 'a = "é😀x"'  # é: 2 UTF-8 bytes, 1 UTF-16 unit; 😀: 4 bytes, 2 units


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-32", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        ("utf-16", [0, 1, 2, 3, 4, 5, 6, 8, 9, 10]),
        ("utf-8", [0, 1, 2, 3, 4, 5, 7, 11, 12, 13]),
    ],
)
def test_code_points_to_client_units_and_back(encoding: str, expected: list[int]) -> None:
    got = [to_client_column(LINE, column, encoding) for column in range(len(LINE) + 1)]  # type: ignore[arg-type]
    assert got == expected
    back = [from_client_column(LINE, units, encoding) for units in expected]  # type: ignore[arg-type]
    assert back == list(range(len(LINE) + 1))


def test_columns_past_the_line_are_clamped() -> None:
    assert to_client_column(LINE, 99, "utf-16") == 10
    assert from_client_column(LINE, 99, "utf-16") == len(LINE)
    assert from_client_column(LINE, -3, "utf-8") == 0


def test_a_column_inside_a_character_rounds_down_to_it() -> None:
    emoji = LINE.index("😀")
    assert from_client_column(LINE, 7, "utf-16") == emoji  # between the surrogates
    assert from_client_column(LINE, 9, "utf-8") == emoji  # inside the four bytes


def test_a_lone_surrogate_is_counted_not_crashed_on() -> None:
    assert to_client_column("\ud800x", 2, "utf-16") == 2
    assert to_client_column("\ud800x", 2, "utf-8") == 4


def test_the_first_offered_encoding_we_speak_wins() -> None:
    assert negotiate(["utf-32", "utf-8"]) == "utf-32"
    assert negotiate(["latin-1", "utf-8"]) == "utf-8"
    assert negotiate(None) == "utf-16"
    assert negotiate([]) == "utf-16"


def test_lines_split_only_where_lsp_splits_them() -> None:
    assert split_lines("a\fb\r\nc\rd\u2028e\n") == ["a\fb", "c", "d\u2028e", ""]


def test_document_edits_apply_in_the_clients_encoding() -> None:
    document = Document(uri="file:///x.py", text=f"{LINE}\nsecond\n")
    after_emoji = to_client_column(LINE, LINE.index("x"), "utf-8")
    document.apply_edit((0, after_emoji), (0, after_emoji + 1), "y", "utf-8")
    assert document.lines[0] == 'a = "é😀y"'
    document.apply_edit((1, 0), (1, 6), "2nd", "utf-16")
    assert document.text == 'a = "é😀y"\n2nd\n'
    document.apply_edit((9, 0), (12, 4), "tail", "utf-16")
    assert document.text.endswith("2nd\ntail")
    document.apply_edit((1, 3), (0, 0), "", "utf-16")  # reversed range
    assert document.text == "\ntail"
