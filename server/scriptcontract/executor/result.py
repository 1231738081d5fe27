"""The public result of a run: `ExecutionResult` and the sandbox report inside it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ErrorKind = Literal["validation", "setup", "timeout", "output", "limits", "signal", "exit"]


class SandboxReport(BaseModel):
    """Which protections were actually in force for one run."""

    platform: str = ""
    enforced: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    details: dict[str, str] = Field(default_factory=dict)


class ExecutionResult(BaseModel):
    """Everything a caller needs to know about one run of a workflow script."""

    success: bool
    output: dict[str, Any] | None = None
    error: str | None = None
    error_type: str | None = None
    error_kind: ErrorKind | None = Field(
        None,
        description="validation/setup: the run did not start; the others: the script failed.",
    )
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    execution_time_ms: float = 0.0
    timed_out: bool = False
    timeout_stack: str | None = Field(
        None, description="Where the script was when the timeout hit (Python stack dump)."
    )
    cleanup_error: str | None = Field(
        None,
        description="What the executor could not clean up after the run (its private temp "
        "dir, when the script made part of it impossible to remove); the outcome stands.",
    )
    script_path: str | None = None
    python: str | None = Field(
        default=None,
        description="The interpreter the script ran with (its binary); None: it did not start.",
    )
    mode: Literal["cold", "warm"] = "cold"
    sandbox: SandboxReport = Field(default_factory=SandboxReport)
