"""`check --watch`: check, then check again whenever a Python file or a configuration changes.

The file-system events come from watchfiles (the OS's notifications, debounced), imported
only here so that a plain `check` does not pay for it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from scriptcontract.check.cache import CACHE_DIR_NAME
from scriptcontract.check.ignore_files import IGNORE_FILES
from scriptcontract.config import CONFIG_FILES

WATCHED_NAMES = frozenset((*CONFIG_FILES, *IGNORE_FILES))
WAKE_MS = 200  # with no change, the watch wakes this often; its first wake says it is in place


def watch(paths: list[Path], check: Callable[[], int]) -> int:
    """Run `check` now and after every change under `paths`, until interrupted."""
    from watchfiles import DefaultFilter
    from watchfiles import watch as changes

    class Relevant(DefaultFilter):
        def __call__(self, change: object, path: str) -> bool:
            name = Path(path).name
            if CACHE_DIR_NAME in Path(path).parts:
                return False
            wanted = name.endswith(".py") or name in WATCHED_NAMES
            return wanted and super().__call__(change, path)  # type: ignore[arg-type]

    roots = sorted({str(p if p.is_dir() else p.parent) for p in paths})
    # The watch starts before the first check (the first, empty, batch says it is in
    # place): a change made while a check runs is seen, never lost in between.
    batches = changes(
        *roots,
        watch_filter=Relevant(),
        raise_interrupt=True,
        yield_on_timeout=True,
        rust_timeout=WAKE_MS,
    )
    next(batches)
    check()
    _waiting()
    for batch in batches:
        if not batch:
            continue
        names = sorted({Path(path).name for _, path in batch})
        stamp = time.strftime("%H:%M:%S")
        print(f"\n[{stamp}] changed: {', '.join(names)}", file=sys.stderr, flush=True)
        check()
        _waiting()
    return 0


def _waiting() -> None:
    sys.stdout.flush()
    print("scriptcontract: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
