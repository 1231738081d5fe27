"""A run's inputs: from the command's arguments, an inputs file, the sidecar, or the template.

In that order: `inputs`, then `inputsFile` (relative to the project root, absolute, or a
`file:` URI), then `<script>.inputs.json` next to the script, then the template inferred
from the keys the script reads. A file that exists but cannot be used is an error with a
clear message, never a silent fallback to the next source.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from scriptcontract.contract.inputs_template import infer_inputs
from scriptcontract.executor.settings import MAX_INPUTS_BYTES
from scriptcontract.project_files import (
    ProjectFileError,
    decode_text,
    named_inside,
    read_named_file,
    read_project_file,
)

# Imported from here by the server's modules as well.
from scriptcontract.sidecar import sidecar_path as sidecar_path

InputsSource = Literal["arguments", "inputsFile", "sidecar", "inferred"]


class RunArguments(BaseModel):
    """The one argument object of `scriptcontract.run` and `scriptcontract.runNow`."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
    inputs: dict[str, Any] | None = None
    inputs_file: str | None = Field(None, min_length=1)
    timeout_ms: int | None = Field(None, ge=1)
    # False: run inputs the script's declared schema refuses (the refusal's "Run anyway").
    schema_check: bool = True


class UriArgument(BaseModel):
    """The one argument object of `scriptcontract.createInputs` and `inputsTemplate`."""

    model_config = ConfigDict(extra="ignore")

    uri: str = Field(min_length=1)


class UsePythonArgument(BaseModel):
    """The one argument object of `scriptcontract.usePython`: the script whose run missed a
    module, and the project's interpreter that has it."""

    model_config = ConfigDict(extra="ignore")

    uri: str = Field(min_length=1)
    python: str = Field(min_length=1)


class InputsText(BaseModel):
    """The one argument object of `scriptcontract.parseInputs`."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(max_length=MAX_INPUTS_BYTES)


class InputsError(Exception):
    """The inputs cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class ResolvedInputs:
    inputs: dict[str, Any]
    source: InputsSource
    origin: str | None = None  # the file they came from


def read_inputs_file(path: Path, root: Path) -> dict[str, Any]:
    """The inputs in the JSON file at `path`.

    A file in the project (as named, or through a folder that resolves into it) is read as
    a project file: a script may have put a symlink to a secret or a FIFO there. A file the
    user named outside the project may be a symlink; it must still be a regular file.
    """
    inside = named_inside(root, path)
    shown = _shown(path, root, inside)
    try:
        if inside:
            raw = read_project_file(root, path, max_bytes=MAX_INPUTS_BYTES)
        else:
            raw = read_named_file(path, max_bytes=MAX_INPUTS_BYTES)
    except ProjectFileError as exc:
        raise InputsError(f"cannot read the inputs file {shown}: {exc.reason}") from exc
    return _inputs_from(raw, path, shown)


def _shown(path: Path, root: Path, inside: bool) -> str:
    """`path` as the messages name it: from the project's folder when it is in it. An editor
    shows a run's outcome on one line (a status bar, a code lens, Neovim's message), where an
    absolute path would leave no room for the file's name."""
    return os.path.relpath(path, root) if inside else str(path)


def _read_sidecar(script: Path, root: Path) -> ResolvedInputs | None:
    """The sidecar's inputs; None when there is none. A sidecar that exists but cannot be
    read is an error, never a silent fallback to the template."""
    sidecar = sidecar_path(script)
    shown = _shown(sidecar, root, named_inside(root, sidecar))
    try:
        raw = read_project_file(root, sidecar, max_bytes=MAX_INPUTS_BYTES)
    except ProjectFileError as exc:
        if exc.missing and not os.path.lexists(sidecar):
            return None
        raise InputsError(f"cannot read the inputs file {shown}: {exc.reason}") from exc
    return ResolvedInputs(_inputs_from(raw, sidecar, shown), "sidecar", str(sidecar))


def _inputs_from(raw: bytes, path: Path, shown: str) -> dict[str, Any]:
    try:
        value = json.loads(decode_text(raw, path))
    except ProjectFileError as exc:
        raise InputsError(f"cannot read the inputs file {shown}: {exc.reason}") from exc
    except ValueError as exc:
        raise InputsError(f"{shown} is not valid JSON: {exc}") from exc
    except RecursionError:
        raise InputsError(f"{shown} is nested too deeply to be read as JSON") from None
    if not isinstance(value, dict):
        raise InputsError(f"{shown} must hold a JSON object, not {type(value).__name__}")
    return value


def _inputs_file_path(spelled: str, root: Path) -> Path:
    if spelled.startswith("file:"):
        from pygls.uris import to_fs_path

        return Path(to_fs_path(spelled) or spelled)
    path = Path(spelled).expanduser()
    return path if path.is_absolute() else root / path


def resolve_inputs(
    arguments: RunArguments, script: Path, root: Path, source: str
) -> ResolvedInputs:
    """The inputs of one run, from the first source that has them."""
    if arguments.inputs is not None:
        return ResolvedInputs(arguments.inputs, "arguments")
    if arguments.inputs_file is not None:
        path = _inputs_file_path(arguments.inputs_file, root)
        return ResolvedInputs(read_inputs_file(path, root), "inputsFile", str(path))
    return template_inputs(script, root, source)


def template_inputs(script: Path, root: Path, source: str) -> ResolvedInputs:
    """What a prompt for inputs starts from: the sidecar when there is one, else the template."""
    sidecar = _read_sidecar(script, root)
    if sidecar is not None:
        return sidecar
    return ResolvedInputs(infer_inputs(source).template(), "inferred")


def sidecar_text(source: str) -> str:
    """The new sidecar file: the inferred keys with their defaults, pretty-printed."""
    return json.dumps(infer_inputs(source).template(), indent=2, ensure_ascii=False) + "\n"
