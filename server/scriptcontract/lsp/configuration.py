"""Settings per document: the editor's (initializationOptions, workspace/configuration,
didChangeConfiguration) over the project's configuration file.

For a folder, the most specific editor source wins: what `workspace/configuration`
answered for that folder, else what `didChangeConfiguration` pushed, else the folder's
entry in the initialization options, else the global answers. Invalid values are reported
once in one message; their defaults apply and everything else keeps working.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.documents import Document, path_of

if TYPE_CHECKING:
    # Imported when first needed, after `initialize` is answered: pydantic models cost
    # ~150 ms to build, and the editor waits for that answer.
    from scriptcontract.config import ConfigError, ProjectConfig
    from scriptcontract.contract.settings import LintSettings
    from scriptcontract.executor.settings import ExecutorMode
    from scriptcontract.lsp.projects import Projects, Refusal
    from scriptcontract.lsp.server import ScriptContractServer
    from scriptcontract.lsp.settings import ClientSettings, InitializationOptions, SettingsError

logger = logging.getLogger(__name__)

SECTION = "scriptcontract"


@dataclass(frozen=True)
class DocumentSettings:
    """Everything that decides how one document is linted and run."""

    folder: str | None
    root: Path | None
    project: ProjectConfig
    client: ClientSettings
    lint: LintSettings

    @property
    def timeout_ms(self) -> int:
        return self.client.run.timeout_ms or self.project.executor.timeout_ms

    @property
    def python(self) -> str:
        return self.client.run.python or self.project.executor.python

    @property
    def mode(self) -> ExecutorMode:
        return self.client.run.mode or self.project.executor.mode


def merge_lint(project: LintSettings, client: ClientSettings) -> LintSettings:
    """The project's lint settings with the editor's severities on top ("off": ignored)."""
    from scriptcontract.contract.finding import Severity

    if not client.severity:
        return project
    severity = dict(project.severity)
    ignore = list(project.ignore)
    for code, level in client.severity.items():
        if level == "off":
            ignore.append(code)
            severity.pop(code, None)
        else:
            severity[code] = Severity(level)
    return replace(project, severity=severity, ignore=ignore)


def _strip(uri: str) -> str:
    return uri.rstrip("/")


class Configuration:
    def __init__(self, server: ScriptContractServer) -> None:
        self.server = server
        self._projects: Projects | None = None
        self.folders: dict[str, Path] = {}
        self.initialization: InitializationOptions | None = None
        self.pulled_global: ClientSettings | None = None
        self.pulled: dict[str, ClientSettings] = {}
        self.pushed_global: ClientSettings | None = None
        self.ready = asyncio.Event()
        self._reported: set[str] = set()
        self._refused: set[Refusal] = set()
        self._cache: dict[
            tuple[str | None, Path | None, tuple[ConfigError, ...]], DocumentSettings
        ] = {}

    @property
    def projects(self) -> Projects:
        if self._projects is None:
            from scriptcontract.lsp.projects import Projects

            self._projects = Projects()
        return self._projects

    # --- inputs ---------------------------------------------------------------------

    def set_folders(self, folders: list[types.WorkspaceFolder]) -> None:
        self.folders = {}
        for folder in folders:
            path = path_of(folder.uri)
            if path is not None:
                self.folders[_strip(folder.uri)] = path
        self._cache.clear()

    def add_folder(self, uri: str) -> None:
        path = path_of(uri)
        if path is not None:
            self.folders[_strip(uri)] = path
        self._cache.clear()

    def remove_folder(self, uri: str) -> None:
        self.folders.pop(_strip(uri), None)
        self.pulled.pop(_strip(uri), None)
        self._cache.clear()

    def set_initialization_options(self, raw: Any) -> None:
        from scriptcontract.lsp.settings import parse_initialization_options

        self.initialization = parse_initialization_options(raw)
        self._report(self.initialization.errors)
        self._cache.clear()

    def set_pushed(self, raw: Any) -> None:
        """`didChangeConfiguration` params.settings from a client that does not answer pulls."""
        section = isinstance(raw, dict) and SECTION in raw
        if section:
            raw = raw[SECTION]
        if raw is None:
            return
        from scriptcontract.lsp.settings import parse_settings

        # Without the section's name, the object may be a client's whole settings.
        settings, errors = parse_settings(raw, "didChangeConfiguration", section=section)
        self._report(errors)
        self.pushed_global = settings
        self._cache.clear()

    async def pull(self) -> None:
        """Ask the client for the section, globally and per folder (when it answers those)."""
        from scriptcontract.lsp.settings import parse_settings

        try:
            if not self.server.caps.workspace_configuration:
                return
            folders = list(self.folders)
            items = [types.ConfigurationItem(section=SECTION)]
            items += [types.ConfigurationItem(scope_uri=uri, section=SECTION) for uri in folders]
            try:
                answers = await asyncio.wait_for(
                    self.server.workspace_configuration_async(
                        types.ConfigurationParams(items=items)
                    ),
                    timeout=10,
                )
            except Exception as exc:  # the client's failure: keep what we had
                logger.warning("workspace/configuration failed: %s", exc)
                return
            errors: list[SettingsError] = []
            answers = list(answers or [])
            if answers and answers[0] is not None:
                self.pulled_global, found = parse_settings(answers[0], "workspace/configuration")
                errors += found
            for uri, answer in zip(folders, answers[1:], strict=False):
                if answer is not None:
                    self.pulled[uri], found = parse_settings(
                        answer, f"workspace/configuration ({uri})"
                    )
                    errors += found
            self._report(errors)
            self._cache.clear()
        finally:
            self.ready.set()

    def invalidate_projects(self) -> None:
        self.projects.invalidate()
        self._cache.clear()

    # --- answers --------------------------------------------------------------------

    def folder_of(self, path: Path | None) -> str | None:
        if path is None:
            return None
        best: tuple[int, str] | None = None
        for uri, folder in self.folders.items():
            if path == folder or folder in path.parents:
                depth = len(folder.parts)
                if best is None or depth > best[0]:
                    best = (depth, uri)
        return best[1] if best else None

    def client_settings(self, folder: str | None) -> ClientSettings:
        """Every editor source for `folder`, the more specific over the more general, key
        by key (a key a source does not set is left to the sources below it)."""
        from scriptcontract.lsp.settings import ClientSettings, InitializationOptions, overlay

        initialization = self.initialization or InitializationOptions()
        layers = [
            initialization.global_settings,
            self.pulled_global,
            self.pushed_global,
            initialization.folders.get(folder) if folder is not None else None,
            self.pulled.get(folder) if folder is not None else None,
        ]
        settings = ClientSettings()
        for layer in layers:
            if layer is not None:
                settings = overlay(settings, layer)
        return settings

    def global_settings(self) -> ClientSettings:
        """The settings that are not about one document (the log level)."""
        first = next(iter(self.folders), None)
        return self.client_settings(first)

    def for_document(self, document: Document) -> DocumentSettings:
        return self.for_path(document.path)

    def for_path(self, path: Path | None) -> DocumentSettings:
        folder = self.folder_of(path)
        folder_path = self.folders.get(folder) if folder is not None else None
        if path is None and folder_path is None and len(self.folders) == 1:
            folder, folder_path = next(iter(self.folders.items()))
        root, refused, project, fresh = self.projects.lookup(path, folder_path)
        if fresh:
            self._report_project(project, root)
            self._cache = {key: value for key, value in self._cache.items() if key[1] != root}
        self._report_refused(refused)
        errors = tuple(refusal.error for refusal in refused)
        cached = self._cache.get((folder, root, errors))
        if cached is not None:
            return cached
        if errors:
            # Runs refuse a configuration with errors: none of this folder's scripts runs
            # with the settings around it either, as `check` refuses them.
            project = project.with_errors(list(errors))
        client = self.client_settings(folder)
        settings = DocumentSettings(
            folder=folder,
            root=root,
            project=project,
            client=client,
            lint=merge_lint(project.lint, client),
        )
        self._cache[(folder, root, errors)] = settings
        return settings

    # --- reporting ------------------------------------------------------------------

    def _report(self, errors: list[SettingsError]) -> None:
        messages = [str(error) for error in errors if str(error) not in self._reported]
        self._show(messages, "Invalid scriptcontract settings", "defaults used for these")

    def _report_project(self, project: ProjectConfig, root: Path | None) -> None:
        errors = [_shown_in(error, root) for error in project.errors]
        messages = [error for error in errors if error not in self._reported]
        # Lint falls back to the defaults for these keys; runs are refused (fail closed).
        self._show(
            messages,
            "Invalid scriptcontract configuration",
            "lint uses the defaults for these; runs are refused until it is fixed",
        )

    def _report_refused(self, refused: list[Refusal]) -> None:
        """Once per file and content: a changed file (vouched for, then rewritten) is new."""
        seen = [refusal for refusal in refused if refusal not in self._refused]
        self._refused.update(seen)
        self._show(
            [str(refusal.error) for refusal in seen],
            "scriptcontract configuration not used",
            "its scripts are linted with the settings around it and not run until then",
        )

    def _show(self, messages: list[str], title: str, consequence: str) -> None:
        if not messages:
            return
        self._reported.update(messages)
        for message in messages:
            logger.warning("%s", message)
        # The file and key first: an editor that shows one line (Neovim) cuts the end.
        text = f"{title}: " + "; ".join(messages) + f" ({consequence})"
        try:
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=text)
            )
        except Exception:  # no transport yet (tests of the model): the log has it
            logger.debug("could not show a message", exc_info=True)


def _shown_in(error: ConfigError, root: Path | None) -> str:
    """The error with its file named relative to the project, as the user knows it."""
    if root is not None:
        with contextlib.suppress(ValueError):
            return str(error._replace(path=Path(error.path).relative_to(root).as_posix()))
    return str(error)
