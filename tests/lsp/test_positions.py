"""Columns in the negotiated position encoding, on lines with non-ASCII text and emoji."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.conftest import Session, only_syntax_error


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


async def test_the_server_speaks_the_clients_preferred_encoding(lsp: Session) -> None:
    assert lsp.client.init_result is not None
    assert str(lsp.client.init_result.capabilities.position_encoding) == lsp.encoding
    expected = {"neovim": "utf-8", "emacs": "utf-32"}.get(lsp.profile, "utf-16")
    assert lsp.encoding == expected


async def test_a_diagnostic_after_an_emoji_lands_on_the_right_column(
    lsp: Session, name: str
) -> None:
    line = 's = "😀é"; ('
    uri = lsp.open(name, f"import json\n{line}\n")
    (diagnostic,) = await lsp.diagnostics(uri)
    column = units(line[: line.index("(")], lsp.encoding)
    assert diagnostic.range.start == types.Position(line=1, character=column)
    assert diagnostic.range.end == types.Position(line=1, character=column + 1)


async def test_edits_in_the_clients_encoding_land_where_the_client_meant(
    lsp: Session, name: str
) -> None:
    line = 'name = "😀é"'
    uri = lsp.open(name, f"{line}\nresult = name\n")
    after_string = units(line, lsp.encoding)
    lsp.edit(uri, (0, after_string), (0, after_string), " (")
    (diagnostic,) = await lsp.diagnostics(uri, only_syntax_error)
    # The server's text is now `name = "😀é" (`: the open paren is one past the string.
    assert diagnostic.range.start == types.Position(line=0, character=after_string + 1)


async def test_out_of_range_edits_are_clamped_and_the_server_keeps_working(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, "x = 1\n")
    lsp.edit(uri, (400, 9000), (500, 0), "def broken(:\n")
    lsp.edit(uri, (0, 999), (0, 1000), "")
    # The syntax error on the line appended at the clamped end (`x = 1`'s own findings stay).
    await lsp.diagnostics(
        uri, lambda found: [d.range.start.line for d in found if str(d.code) == "SCR001"] == [1]
    )
