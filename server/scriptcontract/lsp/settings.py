"""The editor's settings (section `scriptcontract`), validated: models and the parsers.

Editors send camelCase JSON. Unknown keys are ignored (VS Code sends its client-only keys
too); a wrong value is reported once, by key, and the default is used for that key only.
Keys the project's configuration file also has (timeout, python, mode) default to None
here, so that only what the user set overrides the file.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from scriptcontract.executor.settings import ExecutorMode
from scriptcontract.shown_values import clipped, shown_value

SeverityName = Literal["error", "warning", "information", "hint", "off"]
LogLevel = Literal["error", "warning", "info", "debug"]
DEFAULT_DEBOUNCE_MS = 200


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


class LintOptions(_Model):
    enabled: bool = True
    run: Literal["onType", "onSave"] = "onType"
    debounce_ms: int = Field(
        DEFAULT_DEBOUNCE_MS, ge=0, le=10000, description="Pause after typing before linting."
    )


class RunOptions(_Model):
    timeout_ms: int | None = Field(None, ge=1, description="None: the project's timeout.")
    python: str | None = Field(None, min_length=1, description="None: the project's python.")
    mode: ExecutorMode | None = None


class DocsOptions(_Model):
    base_url: str | None = Field(
        None,
        min_length=1,
        description="Where rule pages are published (<base>/SCR105.md); None: the packaged pages.",
    )


class ClientSettings(_Model):
    """Everything the editor may set for one workspace folder (or globally)."""

    lint: LintOptions = Field(default_factory=LintOptions)
    run: RunOptions = Field(default_factory=RunOptions)
    docs: DocsOptions = Field(default_factory=DocsOptions)
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    log_level: LogLevel = "info"


class SettingsError(BaseModel, frozen=True):
    where: str
    key: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}: {self.key}: {self.message}"
            if self.key
            else f"{self.where}: {self.message}"
        )


def parse_settings(raw: Any, where: str) -> tuple[ClientSettings, list[SettingsError]]:
    """Validate one settings object; every invalid key is reported and falls back alone."""
    if raw is None:
        return ClientSettings(), []
    if not isinstance(raw, dict):
        found = type(raw).__name__
        return ClientSettings(), [
            SettingsError(where=where, key="", message=f"expected an object, got {found}")
        ]
    try:
        return ClientSettings.model_validate(raw), []
    except ValidationError as exc:
        errors = [
            SettingsError(
                where=where,
                key=clipped(".".join(str(part) for part in err["loc"])),
                message=f"{err['msg']} (got {shown_value(err.get('input'))})",
            )
            for err in exc.errors()
        ]
        try:
            return ClientSettings.model_validate(_without(raw, exc)), errors
        except ValidationError:
            return ClientSettings(), errors


def _without(raw: dict[str, Any], exc: ValidationError) -> dict[str, Any]:
    """`raw` minus the values that failed, so their valid siblings still apply."""
    cleaned: dict[str, Any] = _copy(raw)
    for err in exc.errors():
        location = [str(part) for part in err["loc"]]
        node: Any = cleaned
        for part in location[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and location:
            node.pop(location[-1], None)
    try:
        ClientSettings.model_validate(cleaned)
        return cleaned
    except ValidationError:
        # A whole section of the wrong type: drop each failing top-level key.
        failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        return {key: value for key, value in cleaned.items() if key not in failed}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


def overlay(base: ClientSettings, top: ClientSettings) -> ClientSettings:
    """`base` with the keys that `top` sets, key by key: an absent key means "not set".

    Clients send only what the user set, from several places; each place adds its keys.
    """
    update: dict[str, Any] = {}
    for name in top.model_fields_set:
        value = getattr(top, name)
        if isinstance(value, BaseModel):
            given = {key: getattr(value, key) for key in value.model_fields_set}
            update[name] = getattr(base, name).model_copy(update=given)
        elif name == "severity":
            update[name] = {**base.severity, **value}
        else:
            update[name] = value
    merged = base.model_copy(update=update)
    # Keep "which keys were set" through merges, for the next overlay.
    object.__setattr__(
        merged, "__pydantic_fields_set__", base.model_fields_set | top.model_fields_set
    )
    return merged


class InitializationOptions(BaseModel):
    """What `initializationOptions` carried, in either accepted shape."""

    global_settings: ClientSettings | None = None
    folders: dict[str, ClientSettings] = Field(default_factory=dict)
    errors: list[SettingsError] = Field(default_factory=list)


SETTINGS_KEYS = frozenset({"lint", "run", "docs", "severity", "logLevel", "log_level"})


def parse_initialization_options(raw: Any) -> InitializationOptions:
    """Accept `{"settings": {...}}`, the VS Code per-folder shape, or the bare settings."""
    where = "initializationOptions"
    if raw is None:
        return InitializationOptions()
    if not isinstance(raw, dict):
        error = SettingsError(where=where, key="", message="expected an object")
        return InitializationOptions(errors=[error])
    errors: list[SettingsError] = []
    result = InitializationOptions()
    settings = raw.get("settings")
    if isinstance(settings, list):
        for index, entry in enumerate(settings):
            if not isinstance(entry, dict) or not isinstance(entry.get("workspace"), str):
                errors.append(
                    SettingsError(
                        where=f"{where}.settings[{index}]",
                        key="workspace",
                        message='each entry needs a "workspace" folder URI',
                    )
                )
                continue
            parsed, found = parse_settings(
                {k: v for k, v in entry.items() if k != "workspace"}, f"{where}.settings[{index}]"
            )
            result.folders[entry["workspace"].rstrip("/")] = parsed
            errors += found
        if "globalSettings" in raw:
            result.global_settings, found = parse_settings(
                raw["globalSettings"], f"{where}.globalSettings"
            )
            errors += found
    elif settings is not None:
        result.global_settings, found = parse_settings(settings, f"{where}.settings")
        errors += found
    elif "globalSettings" in raw:
        result.global_settings, found = parse_settings(
            raw["globalSettings"], f"{where}.globalSettings"
        )
        errors += found
    elif SETTINGS_KEYS & raw.keys():
        result.global_settings, found = parse_settings(raw, where)
        errors += found
    result.errors = errors
    return result
