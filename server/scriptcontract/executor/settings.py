"""Executor settings from `[tool.scriptcontract.executor]`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scriptcontract.toml_names import to_kebab

# How runs start: a fresh interpreter each (cold), forked from a warm runner, or warm where
# the platform allows it (auto).
ExecutorMode = Literal["auto", "cold", "warm"]

DEFAULT_TIMEOUT_MS = 30000
DEFAULT_STDOUT_LIMIT = 10 * 1024 * 1024
DEFAULT_STDERR_LIMIT = 1024 * 1024
# The largest inputs file (a sidecar, `--inputs-file`) read for a run.
MAX_INPUTS_BYTES = 10 * 1024 * 1024


class ExecutorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_kebab, populate_by_name=True)

    timeout_ms: int = Field(DEFAULT_TIMEOUT_MS, ge=1)
    python: str = Field("python3", min_length=1, description="Interpreter scripts run with.")
    mode: ExecutorMode = "auto"
    stdout_limit: int = Field(DEFAULT_STDOUT_LIMIT, ge=1024, description="Bytes of stdout kept.")
    stderr_limit: int = Field(DEFAULT_STDERR_LIMIT, ge=1024, description="Bytes of stderr kept.")
    env: dict[str, str] = Field(default_factory=dict, description="Extra environment variables.")
    pass_env: list[str] = Field(
        default_factory=list, description="Names of the caller's variables passed through."
    )
