"""Reading Python source files as Python does: the text of a script or of a module it imports."""

from __future__ import annotations

import io
import os
import stat

from scriptcontract.project_files import ProjectFileError, read_named_file


def decode(raw: bytes) -> str:
    """Decode as Python does: a BOM or a coding comment, else UTF-8."""
    if raw.isascii():
        return raw.decode("ascii")
    import tokenize  # here: most scripts are ASCII, and a one-file check starts faster

    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


# A file to check larger than this is reported unreadable rather than read.
MAX_SCRIPT_BYTES = 64 * 1024 * 1024


def read_script(path: str) -> bytes:
    """The bytes of a file to check: a regular file, read without blocking (a FIFO swapped
    in after discovery must not hang `check`). Raises `ProjectFileError` with the reason."""
    return read_named_file(path, max_bytes=MAX_SCRIPT_BYTES)


# Module texts of this process by path, with the (mtime, size) they were read at: the many
# scripts that import one helper read it once.
_TEXTS: dict[str, tuple[tuple[int, int], str | None]] = {}
# A project module larger than this is not read (none is; a generated one proves nothing).
MAX_MODULE_BYTES = 4 * 1024 * 1024


def read_module(path: str) -> str | None:
    """The text of a module of the project, decoded as Python does; None if there is none.

    Only a regular file is read, without blocking and at most `MAX_MODULE_BYTES`: a FIFO or
    a device named like a module (a run may leave one) must not hang `check` or the
    language server's analysis.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MODULE_BYTES:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    known = _TEXTS.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        text: str | None = decode(read_named_file(path, max_bytes=MAX_MODULE_BYTES))
    except (ProjectFileError, UnicodeDecodeError, SyntaxError, LookupError):
        text = None
    if len(_TEXTS) > 4096:
        _TEXTS.clear()
    _TEXTS[path] = (stamp, text)
    return text


def module_digest(path: str) -> str | None:
    """A digest of the module's text as `read_module` gives it; None when there is none."""
    from scriptcontract.digests import digest

    text = read_module(path)
    return None if text is None else digest(text.encode("utf-8", "surrogatepass"))
