"""The server's own watch of the workspace folders, for clients that cannot watch for it.

A client that does not register `workspace/didChangeWatchedFiles` watchers (Neovim on
Linux, where it turns them off by default; some other editors) would never tell the server
that a configuration, a module or a declared schema changed on disk: the open scripts would
keep findings from the old files until the editor restarts. For those clients the server
watches the folders itself with watchfiles (the OS's notifications, debounced, the library
`check --watch` uses) and feeds what it sees to the same handling as the client's
notifications. Clients that do register watchers are left to do it: never both.

What is watched is what the client would have been asked to watch (`watched_files.py`), in
the folders `watched_dirs` lists: never through a symbolic link (a script may plant one to
`/`), not in caches, environments or version control, and a bounded number of them. A
watch that cannot start (the OS's watch limit) is logged once; the server goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.server_feature import Feature

if TYPE_CHECKING:
    from watchfiles import Change

    from scriptcontract.lsp.server import ScriptContractServer

logger = logging.getLogger(__name__)

# Long enough to see a save (write, rename) as one change, short enough to feel immediate.
DEBOUNCE_MS = 200


class DiskWatch(Feature):
    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(server)
        self.roots: tuple[Path, ...] = ()
        self._task: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None

    def start(self, client_watches: bool) -> None:
        """Watch the workspace folders, unless the client watches them for the server."""
        if client_watches:
            logger.info("File changes: the client watches them")
            return
        self._watch(self._folders())

    def settings_changed(self) -> None:
        # Dispatched when workspace folders come and go: follow them.
        if self._task is not None and self._folders() != self.roots:
            self._watch(self._folders())

    def shutdown(self) -> None:
        self._halt()

    def _folders(self) -> tuple[Path, ...]:
        # A folder the client names but that is not there (yet) is left out; one inside
        # another is listed once (`watched_dirs.directories`).
        return tuple(sorted({p for p in self.server.configuration.folders.values() if p.is_dir()}))

    def _watch(self, roots: tuple[Path, ...]) -> None:
        self._halt()
        self.roots = roots
        if not roots:
            logger.info("File changes: no workspace folder to watch")
            return
        self._stop = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(roots, self._stop))

    def _halt(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            self._task.cancel()
        self._task = self._stop = None

    async def _run(self, roots: tuple[Path, ...], stop: asyncio.Event) -> None:
        from watchfiles import Change, awatch

        # Not at the top: that module imports the server's, which imports this one.
        from scriptcontract.lsp.watched_files import apply_changes, watched
        from scriptcontract.watched_dirs import directories, files_in, has_new_directory

        shown = ", ".join(str(root) for root in roots)
        logger.info("File changes: the server watches %s itself (the client does not)", shown)
        listed = await asyncio.to_thread(directories, roots)
        try:
            while not stop.is_set():
                if listed.truncated:
                    logger.warning(
                        "Watching the first %d folders of %s only: files changed deeper are "
                        "seen when the editor reports them",
                        len(listed.paths),
                        shown,
                    )
                relist = False
                batches = awatch(
                    *listed.paths,
                    watch_filter=lambda change, path: change == Change.added or watched(path),
                    recursive=False,  # see watched_dirs: never through a symbolic link
                    debounce=DEBOUNCE_MS,
                    stop_event=stop,
                )
                # Closed at once on a relist: each watch holds one of the user's few
                # inotify instances (fs.inotify.max_user_instances, often 128).
                async with contextlib.aclosing(batches):
                    async for batch in batches:
                        events = [_event(c, path) for c, path in batch if watched(path)]
                        apply_changes(self.server, events)
                        added = [path for change, path in batch if change == Change.added]
                        if has_new_directory(added, listed.paths):
                            relist = True
                            break
                if not relist:
                    return
                before = set(listed.paths)
                listed = await asyncio.to_thread(directories, roots)
                fresh = [p for p in listed.paths if p not in before]
                # Made inside the new folders before their watch started: not missed.
                found = await asyncio.to_thread(files_in, fresh)
                apply_changes(
                    self.server,
                    [_event(Change.added, str(path)) for path in found if watched(str(path))],
                )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the OS refused the watch: the server goes on without it
            logger.warning(
                "Cannot watch %s (%s): files changed outside the editor are not followed",
                shown,
                exc,
            )


def _event(change: Change, path: str) -> types.FileEvent:
    from pygls.uris import from_fs_path
    from watchfiles import Change

    kind = {
        Change.added: types.FileChangeType.Created,
        Change.modified: types.FileChangeType.Changed,
        Change.deleted: types.FileChangeType.Deleted,
    }[change]
    return types.FileEvent(uri=from_fs_path(path) or path, type=kind)
