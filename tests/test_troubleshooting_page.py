"""docs/troubleshooting.md quotes the product's messages: each quote is still in the code,
so the page cannot send a user looking for words nothing prints any more."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

PAGE = REPO / "docs" / "troubleshooting.md"
SOURCE = REPO / "server" / "scriptcontract"
# A table row's first cell: the quoted words, in backticks.
QUOTED = re.compile(r"^\| `(?P<words>[^`]+)` \|", re.MULTILINE)


def quotes() -> list[str]:
    return QUOTED.findall(PAGE.read_text(encoding="utf-8"))


def test_every_quoted_message_is_still_in_the_code() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))
    found = quotes()
    assert len(found) >= 20, "the page's table rows were not read"
    missing = [words for words in found if words not in code]
    assert missing == []


def test_a_quote_the_code_lost_would_be_seen(tmp_path: Path) -> None:
    # The control: the same reading finds a quote that is in no file.
    words = "a message no part of scriptcontract prints"
    assert words not in "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py"))
    assert QUOTED.findall(f"| `{words}` | why | what |\n") == [words]
