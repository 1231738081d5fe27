"""Analyser settings: which files are scripts, which rules run and how severe they are."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scriptcontract.contract.finding import Severity
from scriptcontract.toml_names import to_kebab

DEFAULT_INCLUDE = ["scripts/**/*.py"]
# Input keys whose values are file paths: file, path, dir, and *_file, *_path, *_dir and
# their plurals. Shared with the executor, which validates those paths before a run.
DEFAULT_INPUT_PATH_KEYS = r"^(?:.*_)?(?:file|path|dir|directory|folder)s?$"


class LintSettings(BaseModel):
    """The `[tool.scriptcontract]` keys the analyser reads."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_kebab, populate_by_name=True)

    include: list[str] = Field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = Field(default_factory=list)
    select: list[str] = Field(
        default_factory=list, description="Codes or prefixes to run; empty means the defaults."
    )
    ignore: list[str] = Field(default_factory=list, description="Codes or prefixes to skip.")
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Codes or prefixes to skip, per glob of the files they are skipped in.",
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Severity per code or code prefix."
    )
    target_version: str = Field("3.8", pattern=r"^3\.\d{1,2}$")
    input_path_keys: str = DEFAULT_INPUT_PATH_KEYS
    error_keys: list[str] = Field(
        default_factory=lambda: ["success", "error"],
        description="Keys every error object a script prints must have.",
    )
    timeout_ms: int = Field(30000, ge=1, description="The run timeout the scripts must fit in.")
    exit_codes: list[int] = Field(
        default_factory=lambda: [0, 1],
        description="The exit codes the project's scripts may use: 0 success, 1 error, and "
        "any code of the project's own protocol (a hook's 2 that blocks).",
    )
    output: Literal["object", "json-lines"] = Field(
        "object",
        description='What a run writes to stdout: one JSON document ("object") or one JSON '
        'document per line ("json-lines").',
    )

    @field_validator("exit_codes")
    @classmethod
    def _exit_codes(cls, codes: list[int]) -> list[int]:
        if 0 not in codes:
            raise ValueError("must include 0, the success code")
        if any(not 0 <= code <= 255 for code in codes):
            raise ValueError("exit codes are 0 to 255")
        return codes
