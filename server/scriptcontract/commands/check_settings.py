"""`check --show-settings`: the settings the first file would be checked with, as TOML keys,
with the file they came from: what to look at when a rule runs (or does not) unexpectedly."""

from __future__ import annotations

import json
from dataclasses import fields
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

from scriptcontract.commands.check_report import EXIT_CLEAN, EXIT_USAGE, say
from scriptcontract.toml_names import to_kebab

if TYPE_CHECKING:
    from scriptcontract.commands.check import _Run


def show_settings(job: _Run, out: TextIO) -> int:
    targets = sorted(job.found.targets, key=lambda t: t.shown)
    if not targets:
        say("error: no Python file to show the settings of")
        return EXIT_USAGE
    first = targets[0]
    project = job.found.projects[first.settings_key]
    settings = job.settings(project)
    if isinstance(settings, str):
        for line in settings.splitlines():
            say(line)
        return EXIT_USAGE
    lines = [
        f"# settings of {first.shown}",
        f"# configuration: {project.table.source or 'none (the defaults)'}",
        f"# project root: {project.root or 'none (globs are relative to the working directory)'}",
    ]
    for field in fields(settings):
        lines.append(f"{to_kebab(field.name)} = {_toml(getattr(settings, field.name))}")
    out.write("\n".join(lines) + "\n")
    return EXIT_CLEAN


def _toml(value: Any) -> str:
    """A TOML value: JSON's spelling serves for strings, numbers and arrays of them."""
    if isinstance(value, Enum):
        return _toml(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)
