"""The argument objects of the exploration commands (imported when a command comes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

DEFAULT_MAX_RUNS = 200
DEFAULT_MAX_SECONDS = 60.0


class ExploreArguments(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
    seed: int | None = Field(None, ge=0)
    max_runs: int = Field(DEFAULT_MAX_RUNS, ge=1, le=100_000)
    max_seconds: float = Field(DEFAULT_MAX_SECONDS, gt=0, le=3600)


class SaveExploredArguments(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
    failure: int = Field(ge=0)
