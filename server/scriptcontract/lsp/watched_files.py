"""workspace/didChangeWatchedFiles: config changes re-lint, deleted scripts lose diagnostics;
a script, module or declared schema changed on disk has the open scripts that read it
analysed again, and its open inputs files checked again."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import PurePosixPath

from lsprotocol import types

from scriptcontract.lsp.server import ScriptContractServer

# The names `scriptcontract.config.CONFIG_FILES` reads (a test keeps the two equal); not
# imported from there, because that module loads the pydantic models.
CONFIG_FILES = ("scriptcontract.toml", "pyproject.toml")
# A script's declared schema, which its analysis reads (SCR107).
SCHEMA_FILES = "*.schema.json"


def watchers() -> list[types.FileSystemWatcher]:
    """What the server asks the client to watch (registered at `initialized`)."""
    return [
        *(types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES),
        types.FileSystemWatcher(glob_pattern="**/*.py"),
        types.FileSystemWatcher(glob_pattern=f"**/{SCHEMA_FILES}"),
    ]


def watched(path: str) -> bool:
    """Whether a change to the file at `path` concerns the server (as `watchers` say)."""
    name = PurePosixPath(path).name
    return name.endswith(".py") or name in CONFIG_FILES or fnmatch(name, SCHEMA_FILES)


def register(server: ScriptContractServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: ScriptContractServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        apply_changes(ls, params.changes)


def apply_changes(ls: ScriptContractServer, changes: Sequence[types.FileEvent]) -> None:
    """What the client's notification (or the server's own watch, `disk_watch`) reports."""
    configuration_changed = False
    for change in changes:
        name = PurePosixPath(change.uri).name
        if name in CONFIG_FILES:
            configuration_changed = True
        elif change.type == types.FileChangeType.Deleted:
            ls.diagnostics.forget(change.uri, refresh=True)
            ls.dispatch("file_deleted", change.uri)
        else:
            ls.dispatch("file_changed", change.uri)
    if configuration_changed:
        ls.configuration.invalidate_projects()
        ls.dispatch("settings_changed")
