"""Settings that loosen the sandbox count only once the user has trusted them.

A configuration file in a project is a file that runs can write: a `scriptcontract.toml`
planted in `scripts/` becomes the nearest configuration of the scripts there, and one
that turns the sandbox off, passes the caller's secrets through or names another
interpreter would disarm every later run. So a setting that is looser than the default
(or than what a configuration above the project sets: a nested configuration may only
tighten) is honoured only when the user has trusted it, with `scriptcontract trust` or
the editor's prompt. Trust is recorded outside every project, in the user's state folder,
as the file's loosening settings: a new or further loosening setting needs trusting again,
a tightened one does not.

The executor's limits count as the sandbox's: a `timeout-ms`, `stdout-limit` or
`stderr-limit` higher than the default needs trust too.

Settings the user gives directly (command-line flags, editor settings) need no trust,
and neither does anything that only tightens the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scriptcontract.config import CONFIG_FILES, ProjectConfig, load_project_config
from scriptcontract.executor.policy import SandboxPolicy
from scriptcontract.executor.settings import ExecutorSettings
from scriptcontract.state_folder import state_folder

STORE_VERSION = 1

# How each sandbox setting is tightened: a stricter value never needs trust.
_STRICT_WHEN_TRUE = ("enabled", "filesystem", "syscalls", "cgroup")
_STRICT_WHEN_FALSE = ("network",)
_SMALLER_IS_STRICTER = (
    "memory_mb",
    "file_size_mb",
    "open_files",
    "max_processes",
    "max_threads",
    "cpu_margin_s",
)
_FEWER_IS_STRICTER = ("read_paths", "write_paths")
_MORE_IS_STRICTER = ("protected_paths", "require")
# The executor's limits, loosened when higher than the defaults: a run's time (its CPU time
# follows it) and the bytes of its output the caller keeps in memory (the language server's,
# the command's): a planted `stderr-limit` of a terabyte let the next run's output take the
# editor's memory, a planted `timeout-ms` let it run for weeks.
_EXECUTOR_LIMITS = ("timeout_ms", "stdout_limit", "stderr_limit")
CLASSIFIED = (
    *_STRICT_WHEN_TRUE,
    *_STRICT_WHEN_FALSE,
    *_SMALLER_IS_STRICTER,
    *_FEWER_IS_STRICTER,
    *_MORE_IS_STRICTER,
)
DEFAULT_EXECUTOR = ExecutorSettings()
DEFAULT_PYTHON = DEFAULT_EXECUTOR.python


@dataclass(frozen=True)
class Loosening:
    """One setting of a configuration file that loosens the sandbox."""

    key: str  # as written in the file's table, e.g. "sandbox.network"
    value: Any  # JSON-able

    def __str__(self) -> str:
        return f"{self.key} = {json.dumps(self.value)}"


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def loosenings(config: ProjectConfig, baseline: SandboxPolicy | None = None) -> list[Loosening]:
    """The settings of `config` looser than `baseline` (defaults: the default policy)."""
    base = baseline or SandboxPolicy()
    policy = config.sandbox
    found: list[Loosening] = []

    def add(name: str, value: Any) -> None:
        found.append(Loosening(f"sandbox.{_kebab(name)}", value))

    for name in _STRICT_WHEN_TRUE:
        if getattr(base, name) and not getattr(policy, name):
            add(name, False)
    for name in _STRICT_WHEN_FALSE:
        if not getattr(base, name) and getattr(policy, name):
            add(name, True)
    for name in _SMALLER_IS_STRICTER:
        if getattr(policy, name) > getattr(base, name):
            add(name, getattr(policy, name))
    for name in _FEWER_IS_STRICTER:
        extra = [p for p in getattr(policy, name) if p not in getattr(base, name)]
        if extra:
            add(name, extra)
    for name in _MORE_IS_STRICTER:
        dropped = [p for p in getattr(base, name) if p not in getattr(policy, name)]
        if dropped:
            add(name, list(getattr(policy, name)))
    executor = config.executor
    for name in _EXECUTOR_LIMITS:
        if getattr(executor, name) > getattr(DEFAULT_EXECUTOR, name):
            found.append(Loosening(f"executor.{_kebab(name)}", getattr(executor, name)))
    if executor.python != DEFAULT_PYTHON:
        found.append(Loosening("executor.python", executor.python))
    if executor.pass_env:
        found.append(Loosening("executor.pass-env", list(executor.pass_env)))
    return found


def tighten(base: SandboxPolicy, other: SandboxPolicy) -> SandboxPolicy:
    """The stricter of two policies, setting by setting."""
    values: dict[str, Any] = {}
    for name in _STRICT_WHEN_TRUE:
        values[name] = getattr(base, name) and getattr(other, name)
    for name in _STRICT_WHEN_FALSE:
        values[name] = getattr(base, name) and getattr(other, name)
    for name in _SMALLER_IS_STRICTER:
        values[name] = min(getattr(base, name), getattr(other, name))
    for name in _FEWER_IS_STRICTER:
        values[name] = [p for p in getattr(base, name) if p in getattr(other, name)]
    for name in _MORE_IS_STRICTER:
        merged = list(getattr(base, name))
        merged += [p for p in getattr(other, name) if p not in merged]
        values[name] = merged
    return replace(base, **values)


def baseline_for(root: Path) -> SandboxPolicy:
    """The default policy, tightened by every project configuration above `root`: a nested
    project may only be stricter than the one it lies in, unless the user trusts it."""
    policy = SandboxPolicy()
    above = [d for d in Path(os.path.abspath(root)).parents if _has_config(d)]
    for directory in reversed(above):
        policy = tighten(policy, load_project_config(directory).sandbox)
    return policy


def _has_config(directory: Path) -> bool:
    return any((directory / name).is_file() for name in CONFIG_FILES)


def default_store() -> Path:
    """Where trust is recorded: the user's state folder, outside every project."""
    return state_folder() / "trusted.json"


def covers(trusted: Loosening, current: Loosening) -> bool:
    """Whether trusting `trusted` covers `current` (the same setting, no looser)."""
    if trusted.key != current.key:
        return False
    name = current.key.split(".", 1)[1].replace("-", "_")
    value, limit = current.value, trusted.value
    if name in _STRICT_WHEN_TRUE or name in _STRICT_WHEN_FALSE:
        return True  # the same key means the same value: the looser one
    if name in _SMALLER_IS_STRICTER or name in _EXECUTOR_LIMITS:
        return isinstance(value, int) and isinstance(limit, int) and value <= limit
    if name in (*_FEWER_IS_STRICTER, "pass_env"):
        return isinstance(limit, list) and set(value) <= set(limit)
    if name in _MORE_IS_STRICTER:
        return isinstance(limit, list) and set(value) >= set(limit)
    return bool(value == limit)  # executor.python


class TrustStore:
    """The user's record of trusted configuration files: file -> its trusted loosenings."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_store()

    def _load(self) -> dict[str, list[Loosening]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        trusted = data.get("trusted") if isinstance(data, dict) else None
        if not isinstance(trusted, dict):
            return {}
        loaded: dict[str, list[Loosening]] = {}
        for source, items in trusted.items():
            if isinstance(items, list):
                loaded[str(source)] = [
                    Loosening(str(item[0]), item[1])
                    for item in items
                    if isinstance(item, list) and len(item) == 2
                ]
        return loaded

    def is_trusted(self, source: str, found: list[Loosening]) -> bool:
        """Whether every loosening in `found` is covered by what the user trusted."""
        trusted = self._load().get(_key(source), [])
        return all(any(covers(t, item) for t in trusted) for item in found)

    def trust(self, source: str, found: list[Loosening]) -> None:
        """Record `found` as trusted for `source` (OSError when the store cannot be written).

        `found` replaces what was trusted of its own kinds only: the editor's prompt trusts a
        file's sandbox settings, and dropping the content trust `scriptcontract trust`
        recorded for the same file made `check` refuse it again."""
        if not found:
            return
        trusted = self._load()
        given = {_kind(item.key) for item in found}
        kept = [item for item in trusted.get(_key(source), []) if _kind(item.key) not in given]
        trusted[_key(source)] = kept + list(found)
        self._write(trusted)

    def revoke(self, source: str) -> bool:
        trusted = self._load()
        removed = trusted.pop(_key(source), None) is not None
        if removed:
            self._write(trusted)
        return removed

    def _write(self, trusted: dict[str, list[Loosening]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": STORE_VERSION,
            "trusted": {
                source: [[item.key, item.value] for item in items]
                for source, items in trusted.items()
            },
        }
        text = json.dumps(data, indent=2, sort_keys=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".trusted-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _kind(key: str) -> str:
    """Which kind of trust a recorded item is: a file's content (`configuration.sha256`), or
    its settings that loosen the sandbox (`sandbox.*`, `executor.*`), trusted together."""
    return "content" if key.startswith("configuration.") else "settings"


def _key(source: str) -> str:
    return os.path.realpath(source)


@dataclass(frozen=True)
class TrustVerdict:
    """Whether a project's configuration may be used for a run as it is."""

    source: str | None
    loosened: list[Loosening]
    trusted: bool
    reason: str = ""  # why trust does not count here, when it does not

    @property
    def ok(self) -> bool:
        return not self.loosened or self.trusted

    def message(self) -> str:
        shown = ", ".join(map(str, self.loosened))
        text = (
            f"{self.source} loosens the sandbox ({shown}), and these settings are not trusted"
            + (f" ({self.reason})" if self.reason else "")
            + ": a script could have written them. Review them; if they are yours, run "
            + f"`scriptcontract trust {self.source}`"
        )
        return text


def check_trust(
    root: Path,
    config: ProjectConfig,
    *,
    given: Iterable[str] = (),
    store: TrustStore | None = None,
) -> TrustVerdict:
    """The verdict on `config` (of the project at `root`) for a run.

    `given`: keys whose values the user gave directly (a flag, an editor setting): they
    need no trust.
    """
    skip = set(given)
    found = [item for item in loosenings(config, baseline_for(root)) if item.key not in skip]
    if not found or config.source is None:
        return TrustVerdict(config.source, found, trusted=not found)
    store = store or TrustStore()
    if is_inside(store.path, root) or any(
        is_inside(store.path, Path(p)) for p in config.sandbox.write_paths
    ):
        # A run could write the record itself: it proves nothing.
        reason = f"the trust record {store.path} lies where runs can write"
        return TrustVerdict(config.source, found, trusted=False, reason=reason)
    return TrustVerdict(config.source, found, trusted=store.is_trusted(config.source, found))


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or below it, links resolved (False when either cannot be)."""
    try:
        real_path, real_folder = os.path.realpath(path), os.path.realpath(folder)
    except (OSError, ValueError):
        return False
    return real_path == real_folder or real_path.startswith(real_folder.rstrip(os.sep) + os.sep)
