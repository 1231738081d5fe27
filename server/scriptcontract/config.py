"""Project configuration: find the project root, read `[tool.scriptcontract]`, report mistakes.

The one place that reads configuration files. Mistakes never raise: they come back as
`ConfigError`s naming the file, the key and what was expected, beside usable defaults.

Importing this module is cheap (no executor): `check` reads the raw table first and
validates it only when a file has to be analysed, and the executor's and sandbox's
settings are imported only for a project that has those sections or for a caller that
asks for them (`run`, `serve`, `doctor`). No pydantic either: the settings are plain
dataclasses checked by `settings_tables`, which words each mistake as pydantic did.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from scriptcontract.contract.settings import LintSettings
    from scriptcontract.executor.policy import SandboxPolicy
    from scriptcontract.executor.python_executor import PythonExecutor
    from scriptcontract.executor.settings import ExecutorMode, ExecutorSettings
    from scriptcontract.settings_tables import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("scriptcontract.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 4 * 1024 * 1024
M = TypeVar("M")


class ConfigError(NamedTuple):
    path: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " + (f"{self.key}: " if self.key else "")
        return where + self.message


def errors_refusal(errors: list[ConfigError], consequence: str) -> str:
    """A command's refusal of a configuration with `errors`: one line for one error (`<file>:
    <key>: <problem>; nothing was run`), else the count, then each error on its own line."""
    if len(errors) == 1:
        return f"{errors[0]}; {consequence}"
    listed = "\n".join(f"  - {error}" for error in errors)
    return f"the project's configuration has {len(errors)} errors; {consequence}:\n{listed}"


class ProjectTable(NamedTuple):
    """A project's `[tool.scriptcontract]` table as read, before any validation.

    (Tuples rather than dataclasses here: `dataclasses` costs `check` a few ms of start-up.)
    """

    source: str | None  # the file it came from (None: no configuration, defaults)
    table: dict[str, Any]
    errors: list[ConfigError]  # the file could not be read
    # The bytes of each configuration file read for it, as read (None: it could not be):
    # the ones vouching digests, so that what is vouched for is what was parsed.
    contents: tuple[tuple[str, bytes | None], ...] = ()


NO_CONFIGURATION = ProjectTable(None, {}, [])


class ProjectConfig:
    """Everything a project configures, with the file it came from (None: defaults).

    A section the project does not configure is built on first use, so that a caller
    that never asks for the executor's settings never imports the executor.
    """

    def __init__(
        self,
        lint: LintSettings | None = None,
        executor: ExecutorSettings | None = None,
        sandbox: SandboxPolicy | None = None,
        source: str | None = None,
        errors: list[ConfigError] | None = None,
    ) -> None:
        self._lint = lint
        self._executor = executor
        self._sandbox = sandbox
        self.source = source
        self.errors: list[ConfigError] = list(errors or [])

    def with_errors(self, errors: list[ConfigError]) -> ProjectConfig:
        """The same settings with `errors` added (runs refuse a configuration with any)."""
        return ProjectConfig(
            self._lint, self._executor, self._sandbox, self.source, [*self.errors, *errors]
        )

    @property
    def lint(self) -> LintSettings:
        if self._lint is None:
            from scriptcontract.contract.settings import LintSettings

            self._lint = LintSettings()
        return self._lint

    @property
    def executor(self) -> ExecutorSettings:
        if self._executor is None:
            from scriptcontract.executor.settings import ExecutorSettings

            self._executor = ExecutorSettings()
        return self._executor

    @property
    def sandbox(self) -> SandboxPolicy:
        if self._sandbox is None:
            from scriptcontract.executor.policy import SandboxPolicy

            self._sandbox = SandboxPolicy()
        return self._sandbox


def project_executor(
    root: Path,
    config: ProjectConfig,
    *,
    timeout_ms: int,
    python: str,
    mode: ExecutorMode,
) -> PythonExecutor:
    """The executor for a project as its configuration sets it up.

    Timeout, interpreter and mode are the caller's: the editor's settings and the command
    line override the project's.
    """
    from scriptcontract.executor.python_executor import PythonExecutor

    return PythonExecutor(
        root,
        default_timeout_ms=timeout_ms,
        python_path=python,
        sandbox=config.sandbox,
        input_path_keys=config.lint.input_path_keys,
        stdout_limit=config.executor.stdout_limit,
        stderr_limit=config.executor.stderr_limit,
        env=config.executor.env,
        pass_env=config.executor.pass_env,
        mode=mode,
    )


def find_project_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` with a scriptcontract.toml or pyproject.toml."""
    here = start if start.is_dir() else start.parent
    for directory in (here, *here.parents):
        if any((directory / name).is_file() for name in CONFIG_FILES):
            return directory
    return None


def read_project_table(root: Path) -> ProjectTable:
    """The raw configuration of the project at `root`; scriptcontract.toml wins over pyproject.

    Each file is read once: its table is parsed from the bytes kept in `contents`, which
    are what vouching for a nested configuration digests (`nested_configs.unvouched`). A
    second read could see another file, swapped in between by a running script."""
    contents: list[tuple[str, bytes | None]] = []
    for name in CONFIG_FILES:
        path = root / name
        if not (path.exists() or path.is_symlink()):  # a FIFO is refused, never skipped
            continue
        data, table, errors = read_config_file(path, nested=name == "pyproject.toml")
        contents.append((str(path), data))
        if table is None and not errors:
            continue  # a pyproject.toml without [tool.scriptcontract]
        return ProjectTable(str(path), table or {}, errors, tuple(contents))
    return ProjectTable(None, {}, [], tuple(contents)) if contents else NO_CONFIGURATION


def load_project_config(root: Path) -> ProjectConfig:
    """Read and validate the configuration of the project at `root`."""
    return validate_table(read_project_table(root))


def validate_table(read: ProjectTable) -> ProjectConfig:
    if read.source is None:
        return ProjectConfig()
    return config_from_table(read.table, read.source, read.errors)


def config_from_table(
    table: dict[str, Any], source: str, errors: list[ConfigError] | None = None
) -> ProjectConfig:
    """Build a config from an already parsed `[tool.scriptcontract]` table (editors send these)."""
    from scriptcontract.contract.settings import LintSettings

    errors = list(errors or [])
    base = "tool.scriptcontract." if source.endswith("pyproject.toml") else ""
    prefix = "[tool.scriptcontract]" if base else ""
    raw = dict(table)
    executor: ExecutorSettings | None = None
    sandbox: SandboxPolicy | None = None
    if "executor" in raw:
        from scriptcontract.executor.settings import ExecutorSettings

        executor_settings, found = _section(
            raw.pop("executor"), ExecutorSettings, source, f"[{base}executor]", base
        )
        executor = executor_settings
        errors += found
        # The scripts must fit in the run timeout the project sets.
        raw.setdefault("timeout-ms", executor_settings.timeout_ms)
    if "sandbox" in raw:
        from scriptcontract.executor.policy import SandboxPolicy

        sandbox, found = _section(
            raw.pop("sandbox"), SandboxPolicy, source, f"[{base}sandbox]", base
        )
        errors += found
    lint, found = _section(raw, LintSettings, source, prefix, base)
    errors += found
    return ProjectConfig(
        lint=lint, executor=executor, sandbox=sandbox, source=source, errors=errors
    )


def read_table(path: Path, *, nested: bool) -> tuple[dict[str, Any] | None, list[ConfigError]]:
    _, table, errors = read_config_file(path, nested=nested)
    return table, errors


def read_config_bytes(path: Path) -> bytes:
    """The bytes of a configuration file: a regular file, no link followed, bounded (a run
    may have swapped it for a symlink to a secret, or a FIFO); `ProjectFileError` else."""
    from scriptcontract.project_files import read_project_file

    return read_project_file(path.parent, path.name, max_bytes=MAX_CONFIG_BYTES)


def read_config_file(
    path: Path, *, nested: bool
) -> tuple[bytes | None, dict[str, Any] | None, list[ConfigError]]:
    """The bytes of `path` as read once, and the table parsed from exactly those bytes."""
    from scriptcontract.project_files import ProjectFileError, decode_text

    raw: bytes | None = None
    try:
        raw = read_config_bytes(path)
        return (raw, *_parse_table(path, decode_text(raw, path.name), nested=nested))
    except ProjectFileError as exc:
        message = f"cannot read: {exc.reason}"
        return raw, None, [ConfigError(path=str(path), key="", message=message)]


def _parse_table(
    path: Path, text: str, *, nested: bool
) -> tuple[dict[str, Any] | None, list[ConfigError]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [ConfigError(path=str(path), key="", message=f"invalid TOML: {exc}")]
    except ValueError:
        # tomllib lets `int()`'s refusal of a number over 4,300 digits through as is.
        message = "invalid TOML: a number too long to read (over 4,300 digits)"
        return None, [ConfigError(path=str(path), key="", message=message)]
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        message = "invalid TOML: nested too deeply"
        return None, [ConfigError(path=str(path), key="", message=message)]
    if nested:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "scriptcontract" not in tool:
            return None, []
        data = tool["scriptcontract"]
    if not isinstance(data, dict):
        return None, [ConfigError(path=str(path), key="", message="expected a table")]
    return data, []


def _section(
    raw: Any, model: type[M], source: str, prefix: str, base: str
) -> tuple[M, list[ConfigError]]:
    """Validate one table; keep every valid key and report each invalid one. `base`: the
    tables' prefix (`tool.scriptcontract.` in a pyproject.toml), for an unknown key's
    suggestion."""
    from scriptcontract.settings_tables import UNKNOWN_KEY, validate

    if not isinstance(raw, dict):
        return model(), [ConfigError(path=source, key=prefix, message="expected a table")]
    settings, problems = validate(model, raw)
    described = []
    for problem in problems:
        error = _describe(problem, source, prefix)
        if problem.message == UNKNOWN_KEY and len(problem.where) == 1:
            named = str(problem.where[0])
            suggestion = _suggestion(named, prefix or "the top level", _tables(base))
            if suggestion is not None:
                error = error._replace(message=f"{error.message} ({suggestion})")
        described.append(error)
    return settings, described


def _tables(base: str) -> dict[str, type[Any]]:
    """Every table of a configuration by the name messages give it (asked only for an
    unknown key: the executor's settings are not imported for a configuration without)."""
    from scriptcontract.contract.settings import LintSettings
    from scriptcontract.executor.policy import SandboxPolicy
    from scriptcontract.executor.settings import ExecutorSettings

    top = "[tool.scriptcontract]" if base else "the top level"
    return {
        top: LintSettings,
        f"[{base}executor]": ExecutorSettings,
        f"[{base}sandbox]": SandboxPolicy,
    }


def _suggestion(key: str, table: str, tables: dict[str, type[Any]]) -> str | None:
    """Where an unknown `key` of `table` may have been meant: another table holding it
    (`input-path-keys` under `[executor]`), or a key of its own table spelt alike."""
    import dataclasses
    import difflib

    from scriptcontract.toml_names import to_kebab

    keys = {name: [to_kebab(f.name) for f in dataclasses.fields(m)] for name, m in tables.items()}
    wanted = to_kebab(key)
    if wanted in keys.get(table, []):
        return None  # the key given twice, kebab-case and snake_case: the other one counts
    for name, known in keys.items():
        if name != table and wanted in known:
            return f"it belongs in {name}" if name.startswith("[") else f"it belongs at {name}"
    close = difflib.get_close_matches(wanted, keys.get(table, []), n=1, cutoff=0.75)
    return f"did you mean {close[0]}?" if close else None


def _describe(problem: Problem, source: str, prefix: str) -> ConfigError:
    from scriptcontract.settings_tables import UNKNOWN_KEY
    from scriptcontract.shown_values import clipped, shown_value

    key = clipped(".".join(str(part) for part in problem.where))
    full = f"{prefix} {key}" if prefix else key
    message = problem.message
    if message != UNKNOWN_KEY:
        message = f"{message} (got {shown_value(problem.value)})"
    return ConfigError(path=source, key=full, message=message)
