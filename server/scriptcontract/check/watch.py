"""`check --watch`: check, then check again whenever a Python file or a configuration changes.

The file-system events come from watchfiles (the OS's notifications, debounced), imported
only here so that a plain `check` does not pay for it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from scriptcontract.check.ignore_files import IGNORE_FILES
from scriptcontract.config import CONFIG_FILES

WATCHED_NAMES = frozenset((*CONFIG_FILES, *IGNORE_FILES))
WAKE_MS = 200  # with no change, the watch wakes this often; its first wake says it is in place


def watch(paths: list[Path], check: Callable[[], int], configs: Sequence[Path] = ()) -> int:
    """Run `check` now and after every change under `paths` or to a `configs` file (a
    `--config FILE`, wherever it is), until interrupted."""
    from watchfiles import Change
    from watchfiles import watch as changes

    from scriptcontract.watched_dirs import directories, has_new_directory

    config_files = {str(c.absolute()) for c in configs}
    # A --config file's folder is watched for that file only (not its scripts, not below it:
    # it may be a home or /etc), unless it is a folder of the project's anyway.
    config_folders = {c.absolute().parent for c in configs}

    def wanted(change: Change, path: str) -> bool:
        if path in config_files:
            return True
        if Path(path).parent in config_only:
            return False
        name = Path(path).name
        return change == Change.added or name.endswith(".py") or name in WATCHED_NAMES

    roots = sorted({p if p.is_dir() else p.parent for p in paths})
    check_now = True
    while True:
        # Not recursive, on the folders listed: never through a link a script planted.
        listed = directories(roots)
        if listed.truncated:
            print(
                f"scriptcontract: watching the first {len(listed.paths)} folders only",
                file=sys.stderr,
                flush=True,
            )
        config_only = config_folders - set(listed.paths)
        # The watch starts before the check (its first, empty, batch says it is in place):
        # a change made while a check runs is seen, never lost in between.
        batches = changes(
            *listed.paths,
            *sorted(config_only),
            watch_filter=wanted,
            recursive=False,
            raise_interrupt=True,
            yield_on_timeout=True,
            rust_timeout=WAKE_MS,
        )
        next(batches)
        if check_now:
            check()
            _waiting()
            check_now = False
        for batch in batches:
            if not batch:
                continue
            relevant = sorted(
                {Path(p).name for c, p in batch if c != Change.added or not Path(p).is_dir()}
            )
            added = [path for change, path in batch if change == Change.added]
            if relevant:
                stamp = time.strftime("%H:%M:%S")
                print(f"\n[{stamp}] changed: {', '.join(relevant)}", file=sys.stderr, flush=True)
            in_projects = [path for path in added if Path(path).parent not in config_only]
            if has_new_directory(in_projects, listed.paths):
                # A new folder: list again, then check (its files may have come with it).
                batches.close()
                check_now = True
                break
            if relevant:
                check()
                _waiting()
        else:
            return 0


def _waiting() -> None:
    sys.stdout.flush()
    print("scriptcontract: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
