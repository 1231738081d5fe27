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


def decoding_problem(exc: Exception) -> str:
    """What `decode` found wrong (its exception), and what to do about it."""
    if isinstance(exc, UnicodeDecodeError):
        where = f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
        detail = f"not valid {exc.encoding.upper()} ({where})"
    elif isinstance(exc, LookupError):
        detail = f"its coding declaration names an unknown encoding ({exc})"
    elif isinstance(exc, SyntaxError) and str(exc.msg).startswith("unknown encoding"):
        # As the tokenizer says it: `unknown encoding: nope`.
        detail = f"its coding declaration names an {exc.msg}"
    elif isinstance(exc, SyntaxError) and str(exc.msg).startswith("encoding problem"):
        detail = "its UTF-8 byte order mark and its coding declaration disagree"
    else:
        detail = "not valid UTF-8, and no coding declaration says what it is"
    return (
        f"{detail}; save it as UTF-8, or declare its encoding on its first or second line "
        "(# -*- coding: latin-1 -*-)"
    )


# A file to check larger than this is reported unreadable rather than read.
MAX_SCRIPT_BYTES = 64 * 1024 * 1024


def read_script(path: str) -> bytes:
    """The bytes of a file to check: a regular file, read without blocking (a FIFO swapped
    in after discovery must not hang `check`). Raises `ProjectFileError` with the reason."""
    return read_named_file(path, max_bytes=MAX_SCRIPT_BYTES)


def read_script_text(path: str | os.PathLike[str]) -> str:
    """The text of a script named by the user, read as `read_script` reads it and decoded
    as Python (and `check`) decode it: a script that declares its encoding runs, so
    `schema`, `test --explore` and the inputs warnings read it too."""
    raw = read_named_file(path, max_bytes=MAX_SCRIPT_BYTES)
    try:
        return decode(raw)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        # The name as a message can carry it (undecodable bytes escaped), as elsewhere.
        shown = os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")
        raise ProjectFileError(shown, decoding_problem(exc)) from None


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
