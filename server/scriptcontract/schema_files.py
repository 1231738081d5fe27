"""Where a script's declared schema lives, `<script>.schema.json` beside it, and reading it.

A declared schema wins over the one inferred from the code: it is what the user promises
callers. Shared by `scriptcontract schema`, `run` and `test`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scriptcontract.contract.declared_schema import SCHEMA_SUFFIX
from scriptcontract.project_files import ProjectFileError, decode_text, read_project_file

MAX_SCHEMA_BYTES = 4 * 1024 * 1024


class SchemaFileError(Exception):
    """A declared schema that cannot be used; `str()` is the message for the user."""


def schema_path(script: Path) -> Path:
    """`scripts/hello.py` -> `scripts/hello.schema.json`."""
    return script.with_name(script.stem + SCHEMA_SUFFIX)


def read_declared_schema(script: Path) -> tuple[dict[str, Any], str] | None:
    """The declared schema of `script` and its text, or None when there is none."""
    path = schema_path(script)
    try:
        text = decode_text(read_beside(path, MAX_SCHEMA_BYTES), path)
    except ProjectFileError as exc:
        if exc.missing:
            return None
        raise SchemaFileError(str(exc)) from None
    return parse_schema_text(text, path), text


def read_beside(path: Path, max_bytes: int) -> bytes:
    """The bytes of the declared schema `path`: a regular file of its script's folder, never
    read through a symbolic link out of it. The folder is one runs may write: a link there
    to a file of the user's elsewhere must not be read, nor shown."""
    return read_project_file(path.parent, path.name, max_bytes=max_bytes)


def parse_schema_text(text: str, path: Path) -> dict[str, Any]:
    """The schema object `text` (the file `path`, as on disk or in an editor) holds."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise SchemaFileError(f"{path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise SchemaFileError(f"{path} is nested too deeply to be read as JSON") from None
    if not isinstance(value, dict):
        raise SchemaFileError(f"{path} must hold a JSON Schema object, got {type(value).__name__}")
    return value
