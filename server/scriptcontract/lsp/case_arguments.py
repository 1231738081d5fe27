"""The argument objects of the cases' commands (imported when a command comes: pydantic
models cost start-up time the answer to `initialize` must not pay)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class CasesArguments(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
    names: list[str] | None = None
    # False: run cases whose inputs the script's declared schema refuses (the "Run anyway").
    schema_check: bool = True


class AddCaseArguments(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
    name: str | None = Field(None, min_length=1)


class FolderArguments(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    uri: str = Field(min_length=1)
