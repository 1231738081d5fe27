"""Executor settings from `[tool.scriptcontract.executor]` (checked by `settings_tables`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Each run's private home and temp folder (`HOME`, `TMPDIR`): its name tells a path in it.
RUN_FOLDER_PREFIX = "scriptcontract-run-"

# How runs start: a fresh interpreter each (cold), forked from a warm runner, or warm where
# the platform allows it (auto).
ExecutorMode = Literal["auto", "cold", "warm"]

DEFAULT_TIMEOUT_MS = 30000
DEFAULT_STDOUT_LIMIT = 10 * 1024 * 1024
DEFAULT_STDERR_LIMIT = 1024 * 1024
# The largest inputs file (a sidecar, `--inputs-file`) read for a run.
MAX_INPUTS_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class ExecutorSettings:
    """How runs start and what they keep (`[tool.scriptcontract.executor]`)."""

    timeout_ms: int = field(default=DEFAULT_TIMEOUT_MS, metadata={"ge": 1})
    # The interpreter scripts run with.
    python: str = field(default="python3", metadata={"min_length": 1})
    mode: ExecutorMode = "auto"
    # Bytes of stdout and stderr kept.
    stdout_limit: int = field(default=DEFAULT_STDOUT_LIMIT, metadata={"ge": 1024})
    stderr_limit: int = field(default=DEFAULT_STDERR_LIMIT, metadata={"ge": 1024})
    # Extra environment variables.
    env: dict[str, str] = field(default_factory=dict)
    # Names of the caller's variables passed through.
    pass_env: list[str] = field(default_factory=list)
