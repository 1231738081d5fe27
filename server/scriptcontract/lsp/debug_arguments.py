"""The arguments of the debug commands (a module of its own: pydantic loads only when a
command arrives, not before the server answers `initialize`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scriptcontract.lsp.run_inputs import RunArguments


class DebuggerAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    # Required: a session without them would take any process that connects first.
    server_token: str = Field(alias="serverToken", min_length=32)
    client_token: str = Field(alias="clientToken", min_length=32)


class DebugArguments(RunArguments):
    """`scriptcontract.debug` and `debugConfiguration`: a run's arguments, or, with `case`, a
    recorded case's (`uri`: the script or its cases file; the case's inputs are used)."""

    case: str | None = Field(None, min_length=1)


class DebugRunArguments(DebugArguments):
    """`scriptcontract.debugRun`: a run's arguments and where debugpy's adapter listens; with
    `case`, the answer also has the case's verdict."""

    debugger: DebuggerAddress
