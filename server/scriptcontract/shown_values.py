"""A value as an error message shows it: the `repr` a user recognises, cut to a line.

Messages about configuration and settings echo the wrong value back (`(got 'fast')`). The
value comes from a file or a client the user controls, possibly one a script wrote: a
megabyte string or a list nested hundreds deep must not become a megabyte message or a
`RecursionError`. `reprlib` bounds the depth and the items looked at before the text is
made, so the cost stays small whatever the value.
"""

from __future__ import annotations

import reprlib
from typing import Any

LIMIT = 80  # characters of the value shown, the ellipsis included


def clipped(text: str, limit: int = LIMIT) -> str:
    """`text` as it is, or its first `limit - 1` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(text: str, limit: int = LIMIT) -> str:
    """The first non-blank line of `text`, clipped: a summary's one line."""
    stripped = text.strip()
    return clipped(stripped.splitlines()[0] if stripped else "", limit)


def shown_value(value: Any, limit: int = LIMIT) -> str:
    """The `repr` of `value`, unchanged when short, bounded when not."""
    shower = reprlib.Repr()
    shower.maxlevel = 4
    shower.maxstring = shower.maxother = shower.maxlong = limit
    shower.maxlist = shower.maxtuple = shower.maxdict = shower.maxset = 12
    return clipped(shower.repr(value), limit)
