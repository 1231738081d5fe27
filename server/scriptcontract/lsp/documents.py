"""The open documents: text, version, and edits applied in the client's position encoding.

Lines are split the way LSP and Python's tokenizer split them (`\\n`, `\\r\\n`, `\\r`), not
the way `str.splitlines()` does (it also breaks at form feeds and Unicode separators, which
would shift every line number after one). Edits with out-of-range positions are clamped,
never rejected: a client bug must not desynchronise or crash the server.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scriptcontract.lsp.position_encoding import Encoding, from_client_column

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
T = TypeVar("T")
_CLOSED_KEPT = 64
_EDITED = object()  # what `derived_off_loop`'s work gives for a text edited before its turn


def split_lines(text: str) -> list[str]:
    """The lines of `text` without terminators; a trailing newline gives a last empty line."""
    return _LINE_BREAK.split(text)


def path_of(uri: str) -> Path | None:
    """The file system path of a `file:` URI, None for untitled and other schemes."""
    from pygls.uris import to_fs_path, uri_scheme

    if uri_scheme(uri) != "file":
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


@dataclass
class Document:
    """One open document as the client last described it."""

    uri: str
    text: str
    version: int | None = None
    language_id: str = "python"
    path: Path | None = None
    _lines: list[str] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)
    # What is worked out from this text (each name once), dropped when the text changes.
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)
    # The last work `derived_off_loop` started, kept across edits: the next waits for it.
    _working: asyncio.Future[Any] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(match.end() for match in _LINE_BREAK.finditer(self.text))
            self._line_starts = starts
        return self._line_starts

    def derived(self, name: str, work_out: Callable[[str], T]) -> T:
        """`work_out(text)`, once per text: a hover per mouse rest asks the same question of
        a text that has not changed."""
        if name not in self._derived:
            self._derived[name] = work_out(self.text)
        value: T = self._derived[name]
        return value

    async def derived_off_loop(self, name: str, work_out: Callable[[str], T]) -> T | None:
        """`derived(name, work_out)` worked out in a thread, or None when the text changed
        meanwhile (an answer of the old text would be shown against the new one). On a
        script of 20,000 lines the work takes seconds, which on the event loop held every
        edit, diagnostic and request behind it (benchmarks/big_script.py)."""
        if name in self._derived:
            value: T = self._derived[name]
            return value
        text = self.text
        pending = f"{name} (being worked out)"
        if pending not in self._derived:
            # One text of a document at a time, in the order asked, each text once however
            # many requests ask: a text edited before its turn is skipped, so typing with the
            # pointer resting on a long script piles up no seconds-long work for texts nobody
            # will see. Other documents' work goes on meanwhile.
            earlier = self._working

            async def in_turn() -> T | object:
                if earlier is not None:
                    await asyncio.wait([earlier])  # (its outcome is for those who asked)
                if self.text is not text:
                    return _EDITED
                return await asyncio.to_thread(work_out, text)

            self._working = self._derived[pending] = asyncio.ensure_future(in_turn())
        # Shielded: a cancelled request must not cancel the work other requests await.
        worked_out: T = await asyncio.shield(self._derived[pending])
        if self.text is not text or worked_out is _EDITED:
            return None
        self._derived.setdefault(name, worked_out)
        kept: T = self._derived[name]
        return kept

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number] if 0 <= number < len(lines) else ""

    def offset_at(self, line: int, character: int, encoding: Encoding) -> int:
        """The `str` index of a client position, clamped to the document."""
        starts = self.line_starts
        if line < 0:
            return 0
        if line >= len(starts):
            return len(self.text)
        return starts[line] + from_client_column(self.lines[line], character, encoding)

    def position_at(self, offset: int) -> tuple[int, int]:
        """The (line, code-point column) of a `str` index."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.line_starts, offset) - 1
        return line, offset - self.line_starts[line]

    def set_text(self, text: str) -> None:
        self.text = text
        self._lines = None
        self._line_starts = None
        self._derived = {}

    def apply_edit(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        new_text: str,
        encoding: Encoding,
    ) -> None:
        """Replace the client range `start`..`end` (line, character) with `new_text`."""
        first = self.offset_at(*start, encoding)
        last = self.offset_at(*end, encoding)
        if last < first:
            first, last = last, first
        self.set_text(self.text[:first] + new_text + self.text[last:])


class DocumentStore:
    """Open documents by URI, exactly as the client spells the URI."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        # The last URIs closed (oldest first): VS Code's client can send a change of an
        # untitled file after its close, which is then no sign of a lost document.
        self._closed: dict[str, None] = {}

    def open(self, uri: str, text: str, version: int | None, language_id: str) -> Document:
        document = Document(
            uri=uri, text=text, version=version, language_id=language_id, path=path_of(uri)
        )
        self._documents[uri] = document
        self._closed.pop(uri, None)
        return document

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def close(self, uri: str) -> Document | None:
        document = self._documents.pop(uri, None)
        if document is not None:
            self._closed.pop(uri, None)
            self._closed[uri] = None
            while len(self._closed) > _CLOSED_KEPT:
                del self._closed[next(iter(self._closed))]
        return document

    def was_closed(self, uri: str) -> bool:
        """Whether `uri` is one of the documents closed last (and not open again)."""
        return uri in self._closed

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)
