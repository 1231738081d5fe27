"""The sandbox report the bootstrap sends to the executor, and the policy as the spec holds it."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any


class Report:
    """Adds to the report dict: `enforced` and `missing` names, and `details` strings."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.enforced_names: list[str] = raw.setdefault("enforced", [])
        self.missing_names: list[str] = raw.setdefault("missing", [])
        self.details: dict[str, str] = raw.setdefault("details", {})

    def enforced(self, name: str, how: str | None = None) -> None:
        if name not in self.enforced_names:
            self.enforced_names.append(name)
        if name in self.missing_names:
            self.missing_names.remove(name)
        if how:
            self.details[name] = how

    def missing(self, name: str, reason: str) -> None:
        if name in self.enforced_names:
            return  # already in force by other means (e.g. the executor's watchdog)
        if name not in self.missing_names:
            self.missing_names.append(name)
        self.details[name] = reason

    def detail(self, key: str, value: str) -> None:
        self.details[key] = value


class Policy:
    """Typed reads of the policy dict (`dataclasses.asdict(SandboxPolicy)`), with its defaults."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def flag(self, key: str, default: bool = True) -> bool:
        value = self.raw.get(key, default)
        return value if isinstance(value, bool) else default

    def number(self, key: str, default: int) -> int:
        value = self.raw.get(key, default)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    def paths(self, key: str) -> list[str]:
        value = self.raw.get(key) or []
        return [str(item) for item in value] if isinstance(value, list) else []
