"""The argument of `scriptcontract.debugRun` (a module of its own: pydantic loads only when
a command arrives, not before the server answers `initialize`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scriptcontract.lsp.run_inputs import RunArguments


class DebuggerAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)


class DebugRunArguments(RunArguments):
    """`scriptcontract.debugRun`: a run's arguments and where debugpy's adapter listens."""

    debugger: DebuggerAddress
