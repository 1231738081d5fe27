"""Work moved off the event loop for a document's text (`Document.derived_off_loop`): done
once per text, one text of a document at a time, and skipped for a text edited before its
turn. (That another document's work goes on meanwhile: tests/lsp/test_hover_and_lens.py.)"""

from __future__ import annotations

import asyncio
import threading

from scriptcontract.lsp.documents import Document


async def test_a_text_edited_before_its_turn_is_never_worked_out() -> None:
    document = Document("file:///long.py", "first")
    started, release = threading.Event(), threading.Event()
    worked: list[str] = []

    def slow(text: str) -> str:
        started.set()
        release.wait(30)
        worked.append(text)
        return text.upper()

    first = asyncio.ensure_future(document.derived_off_loop("shout", slow))
    assert await asyncio.to_thread(started.wait, 30), "the worker never started"
    document.set_text("second")  # the worker is busy: this text waits its turn...
    second = asyncio.ensure_future(document.derived_off_loop("shout", slow))
    await asyncio.sleep(0)  # (queued before the next edit)
    document.set_text("third")  # ...and is replaced before it comes
    third = asyncio.ensure_future(document.derived_off_loop("shout", slow))
    again = asyncio.ensure_future(document.derived_off_loop("shout", slow))
    release.set()
    results = await asyncio.wait_for(asyncio.gather(first, second, third, again), 30)
    # The first text was being worked on when edited (control: work does run), its answer
    # is not shown; the second was never worked on; the third once, for both who asked.
    assert list(results) == [None, None, "THIRD", "THIRD"]
    assert worked == ["first", "third"]
    assert await document.derived_off_loop("shout", slow) == "THIRD"
    assert worked == ["first", "third"]
