"""Analyser settings: which files are scripts, which rules run and how severe they are.

A plain dataclass: the configuration reads it from `[tool.scriptcontract]` with
`settings_tables` (the analysis itself never imports pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.globs import globs_problem, per_file_globs_problem
from scriptcontract.contract.key_patterns import key_pattern_problem

DEFAULT_INCLUDE = ["scripts/**/*.py"]
# Input keys whose values are file paths: file, path, dir, and *_file, *_path, *_dir and
# their plurals. Shared with the executor, which validates those paths before a run, and
# always checked: `input-path-keys` adds keys to them (`path_keys`).
DEFAULT_INPUT_PATH_KEYS = r"^(?:.*_)?(?:file|path|dir|directory|folder)s?$"


def _exit_codes(codes: list[int]) -> str | None:
    if 0 not in codes:
        return "must include 0, the success code"
    if any(not 0 <= code <= 255 for code in codes):
        return "exit codes are 0 to 255"
    return None


@dataclass(frozen=True, kw_only=True)
class LintSettings:
    """The `[tool.scriptcontract]` keys the analyser reads (kebab-case in the file)."""

    # Globs (matched in linear time: a glob too large for that is refused).
    include: list[str] = field(
        default_factory=lambda: list(DEFAULT_INCLUDE), metadata={"check": globs_problem}
    )
    exclude: list[str] = field(default_factory=list, metadata={"check": globs_problem})
    # Codes or prefixes to run; empty means the defaults.
    select: list[str] = field(default_factory=list)
    # Codes or prefixes to run on top of `select` (or of the defaults when it is empty).
    extend_select: list[str] = field(default_factory=list)
    # Codes or prefixes to skip.
    ignore: list[str] = field(default_factory=list)
    # Codes or prefixes to skip, per glob of the files they are skipped in.
    per_file_ignores: dict[str, list[str]] = field(
        default_factory=dict, metadata={"check": per_file_globs_problem}
    )
    # Severity per code or code prefix.
    severity: dict[str, Severity] = field(default_factory=dict)
    target_version: str = field(default="3.8", metadata={"pattern": r"^3\.\d{1,2}$"})
    # More input keys whose values are paths (a key pattern, matched in linear time).
    input_path_keys: str = field(
        default=DEFAULT_INPUT_PATH_KEYS, metadata={"check": key_pattern_problem}
    )
    # Keys every error object a script prints must have.
    error_keys: list[str] = field(default_factory=lambda: ["success", "error"])
    # The run timeout the scripts must fit in.
    timeout_ms: int = field(default=30000, metadata={"ge": 1})
    # The exit codes the project's scripts may use: 0 success, 1 error, and any code of
    # the project's own protocol (a hook's 2 that blocks).
    exit_codes: list[int] = field(default_factory=lambda: [0, 1], metadata={"check": _exit_codes})
    # What a run writes to stdout: one JSON document ("object") or one JSON document per
    # line ("json-lines").
    output: Literal["object", "json-lines"] = "object"
