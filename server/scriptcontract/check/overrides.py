"""`check --config` and `--isolated`: the configuration each project's files are checked
with, when the command line says other than its own file.

As ruff's `--config`: a path to a `.toml` file (a `scriptcontract.toml`, or a `pyproject.toml`
with `[tool.scriptcontract]`) is used for every file in place of its project's; a TOML
`KEY = VALUE` pair overrides one key, over any file. `--isolated` reads no configuration
file. Project roots stay where they are found: globs are relative to each file's project.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from scriptcontract.config import NO_CONFIGURATION, ProjectTable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

INLINE_SOURCE = "--config"


class Overrides(NamedTuple):
    replacement: ProjectTable | None  # every project's table instead of its own
    inline: dict[str, Any]  # KEY = VALUE pairs, on top of whichever table


class OverrideError(Exception):
    """A --config value that is neither a readable file nor a valid KEY = VALUE pair."""


def parse_overrides(values: Iterable[str], *, isolated: bool) -> Overrides:
    replacement: ProjectTable | None = NO_CONFIGURATION if isolated else None
    inline: dict[str, Any] = {}
    for value in values:
        if "=" in value:
            try:
                pair = tomllib.loads(value)
            except tomllib.TOMLDecodeError as exc:
                raise OverrideError(
                    f"--config {value!r}: not a TOML `KEY = VALUE` pair ({exc}); quote strings: "
                    "--config 'target-version = \"3.11\"'"
                ) from None
            _merge(inline, pair)
            continue
        if isolated:
            raise OverrideError(
                f"--config {value}: a configuration file and --isolated exclude each other"
            )
        replacement = _read_file(Path(value))
    return Overrides(replacement, inline)


def _read_file(path: Path) -> ProjectTable:
    # The same reader as a project's own file: size limit, no FIFO, TOML errors as messages.
    from scriptcontract.config import read_table

    if path.suffix != ".toml" or not path.is_file():
        raise OverrideError(
            f"--config {path}: neither an existing .toml file nor a `KEY = VALUE` pair"
        )
    nested = path.name == "pyproject.toml"
    table, errors = read_table(path.absolute(), nested=nested)
    if table is None and not errors:
        raise OverrideError(f"--config {path}: no [tool.scriptcontract] table in it")
    return ProjectTable(str(path), table or {}, errors)


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """Dotted keys (`executor.timeout-ms = 5`) arrive as nested tables: merge, not replace."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key]}  # the project's own table is left as read
            _merge(into[key], value)
        else:
            into[key] = value


def inline_errors(overrides: Overrides) -> list[str]:
    """What is wrong with the KEY = VALUE pairs on their own (unknown key, wrong type)."""
    if not overrides.inline:
        return []
    from scriptcontract.config import config_from_table

    return [str(error) for error in config_from_table(overrides.inline, INLINE_SOURCE).errors]


def apply(table: ProjectTable, overrides: Overrides) -> ProjectTable:
    """The table a project's files are checked with."""
    if overrides.replacement is not None:
        table = overrides.replacement
    if not overrides.inline:
        return table
    merged = {**table.table}
    _merge(merged, overrides.inline)
    return ProjectTable(table.source or INLINE_SOURCE, merged, table.errors)
