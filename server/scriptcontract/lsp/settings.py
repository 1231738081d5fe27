"""The editor's settings (section `scriptcontract`), validated: models and the parsers.

Editors send camelCase JSON. A wrong value is reported once, by key, and the default is used
for that key only. A key the server does not know is reported too (a misspelt
`run.timeoutms` would otherwise do nothing, silently), where the object is surely this
section: not VS Code's own keys, which it sends with the rest, nor a client's bare
`initializationOptions`, which may hold anything.
Keys the project's configuration file also has (timeout, python, mode) default to None
here, so that only what the user set overrides the file.
"""

from __future__ import annotations

from typing import Any, Literal, get_origin

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


# The keys of the section VS Code's extension reads itself (it sends the whole section).
CLIENT_ONLY_KEYS = frozenset({"interpreter", "importStrategy", "runs", "trace"})
_UNKNOWN_SHOWN = 10  # one message says them all: a flood of keys is counted past these


def parse_settings(
    raw: Any, where: str, *, section: bool = True
) -> tuple[ClientSettings, list[SettingsError]]:
    """Validate one settings object; every invalid key is reported and falls back alone.
    `section`: `raw` is surely the `scriptcontract` section, so an unknown key in it is a
    mistake and reported."""
    if raw is None:
        return ClientSettings(), []
    if not isinstance(raw, dict):
        found = type(raw).__name__
        return ClientSettings(), [
            SettingsError(where=where, key="", message=f"expected an object, got {found}")
        ]
    unknown = _unknown_keys(raw, ClientSettings, "", where) if section else []
    if len(unknown) > _UNKNOWN_SHOWN:
        more = len(unknown) - _UNKNOWN_SHOWN
        unknown = unknown[:_UNKNOWN_SHOWN]
        unknown.append(SettingsError(where=where, key="", message=f"{more} more unknown settings"))
    parsed, errors = _validated(raw, where)
    return parsed, errors + unknown


def _unknown_keys(
    raw: dict[str, Any], model: type[BaseModel], prefix: str, where: str
) -> list[SettingsError]:
    import difflib

    names: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        nested = field.annotation
        kind: type[BaseModel] | None = None
        # `dict[str, ...]` (severity) is a class on some Pythons, and no model.
        if isinstance(nested, type) and get_origin(nested) is None and issubclass(nested, _Model):
            kind = nested
        names[field.alias or name] = names[name] = kind
    found: list[SettingsError] = []
    for key, value in raw.items():
        if not isinstance(key, str) or (not prefix and key in CLIENT_ONLY_KEYS):
            continue
        if key not in names:
            spelt = difflib.get_close_matches(
                key, [f.alias or n for n, f in model.model_fields.items()], 1
            )
            hint = f" (did you mean {prefix}{spelt[0]}?)" if spelt else ""
            found.append(
                SettingsError(
                    where=where, key=clipped(prefix + key), message=f"unknown setting{hint}"
                )
            )
        elif (nested := names[key]) is not None and isinstance(value, dict):
            found += _unknown_keys(value, nested, f"{prefix}{key}.", where)
        elif not prefix and key == "severity" and isinstance(value, dict):
            found += _unknown_selectors(value, where)
    return found


def _unknown_selectors(severity: dict[str, Any], where: str) -> list[SettingsError]:
    """The keys of `severity` that select no rule (`SCR999`, `stray-stdout`): typos too."""
    import difflib

    from scriptcontract.contract.rules import RULES
    from scriptcontract.contract.selection import known_selector

    names = [rule.meta.code for rule in RULES] + [rule.meta.name for rule in RULES]
    found: list[SettingsError] = []
    for selector in severity:
        if not isinstance(selector, str) or known_selector(selector):
            continue
        spelt = difflib.get_close_matches(selector, names, 1)
        hint = f" (did you mean {spelt[0]}?)" if spelt else ""
        found.append(
            SettingsError(
                where=where,
                key=clipped(f"severity.{selector}"),
                message=f"no rule has this code, prefix or name{hint}",
            )
        )
    return found


def _validated(raw: dict[str, Any], where: str) -> tuple[ClientSettings, list[SettingsError]]:
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
        result.global_settings, found = parse_settings(raw, where, section=False)
        errors += found
    result.errors = errors
    return result
