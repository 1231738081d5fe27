"""Reading Python source files as Python does: the text of a script or of a module it imports."""

from __future__ import annotations

import io
import os
import tokenize


def decode(raw: bytes) -> str:
    """Decode as Python does: a BOM or a coding comment, else UTF-8."""
    if raw.isascii():
        return raw.decode("ascii")
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


# Module texts of this process by path, with the (mtime, size) they were read at: the many
# scripts that import one helper read it once.
_TEXTS: dict[str, tuple[tuple[int, int], str | None]] = {}


def read_module(path: str) -> str | None:
    """The text of a module of the project, decoded as Python does; None if there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    known = _TEXTS.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        with open(path, "rb") as handle:
            text: str | None = decode(handle.read())
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
        text = None
    if len(_TEXTS) > 4096:
        _TEXTS.clear()
    _TEXTS[path] = (stamp, text)
    return text


def module_digest(path: str) -> str | None:
    """A digest of the module's text as `read_module` gives it; None when there is none."""
    import hashlib

    text = read_module(path)
    if text is None:
        return None
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
