"""Path validation before a run: the script and every file path in the inputs stay in the root.

Paths are resolved against the project root with symlinks followed; a path that does not
exist yet (an output file) is checked through the nearest parent that does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

OUTSIDE_ROOT = "Path is outside project root"


class KeyMatcher(Protocol):
    """Which input keys hold paths (`contract.path_keys.PathKeys`)."""

    def search(self, key: str, /) -> object: ...


class PathValidationError(Exception):
    """A path the run must not use; the message is for the user."""


@dataclass(frozen=True)
class InputPath:
    """A value in the inputs that the key pattern marks as a file path."""

    location: str  # e.g. "files[2]" or "job.output_dir"
    value: str


def resolve_inside(root: Path, value: str) -> Path:
    """The real path `value` names, or PathValidationError when it is outside `root`.

    `root` must already be resolved.
    """
    if not isinstance(value, str):
        raise PathValidationError(f"Path must be a string, not {type(value).__name__}")
    if "\0" in value:
        raise PathValidationError("Path contains a NUL character")
    candidate = Path(value)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        real = Path(os.path.realpath(candidate))
    except UnicodeError:  # a lone surrogate that no file name can hold
        raise PathValidationError(
            "Path cannot be a file name (it holds a lone surrogate)"
        ) from None
    except (OSError, ValueError) as exc:
        raise PathValidationError(f"Path cannot be resolved: {exc}") from None
    if real != root and root not in real.parents:
        raise PathValidationError(OUTSIDE_ROOT)
    return real


def validate_script_path(root: Path, script_path: str | os.PathLike[str]) -> Path:
    """The script's real path; the messages are the seed's, word for word where it has words."""
    try:
        given = os.fspath(script_path)
        real = resolve_inside(root, given)
    except (PathValidationError, TypeError) as exc:
        raise PathValidationError(f"Script path validation failed: {exc}") from None
    if not real.exists():
        raise PathValidationError(f"Script not found: {given}")
    if not real.is_file():
        raise PathValidationError(f"Script path is not a file: {given}")
    return real


def find_input_paths(inputs: Any, key_pattern: KeyMatcher) -> Iterator[InputPath]:
    """Every string the key pattern marks as a path, at any depth, in lists too.

    Iterative, in document order: the inputs are the caller's, nested as deeply as it likes.
    """
    todo: list[tuple[Any, str, bool]] = [(inputs, "", False)]
    while todo:
        value, where, is_path = todo.pop()
        if isinstance(value, dict):
            children = []
            for key, item in value.items():
                name = str(key)
                child = f"{where}.{name}" if where else name
                children.append((item, child, bool(key_pattern.search(name))))
            todo.extend(reversed(children))
        elif isinstance(value, (list, tuple)):
            todo.extend(
                (item, f"{where}[{index}]", is_path)
                for index, item in reversed(list(enumerate(value)))
            )
        elif is_path and isinstance(value, str) and value:
            yield InputPath(location=where, value=value)


def validate_input_paths(root: Path, inputs: Any, key_pattern: KeyMatcher) -> None:
    """Raise for the first input path outside the root, naming the key and the value."""
    for found in find_input_paths(inputs, key_pattern):
        try:
            resolve_inside(root, found.value)
        except PathValidationError as exc:
            raise PathValidationError(
                f"Input path validation failed: {exc}: {found.location} = {found.value!r}"
            ) from None
