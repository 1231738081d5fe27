"""A symbolic link a script could plant in a project, to a big tree outside it: what a file
watch must not follow (see scriptcontract.watched_dirs)."""

from __future__ import annotations

import os
from pathlib import Path

from watchfiles import watch

from tests.procs import inotify_watches

FOLDERS = 300


def plant_link_to_a_big_tree(project: Path, outside: Path) -> None:
    """`<project>/scripts/data/everything -> outside`, where `outside` holds FOLDERS folders
    (it stands for `/`). Asserts the positive control: a recursive watch of the project, in
    this process, follows the link and holds more than FOLDERS watches."""
    for index in range(FOLDERS):
        (outside / f"d{index}").mkdir(parents=True)
    (project / "scripts" / "data").mkdir(parents=True)
    (project / "scripts" / "data" / "everything").symlink_to(outside, target_is_directory=True)
    recursive = watch(project, rust_timeout=50, yield_on_timeout=True)
    next(recursive)
    try:
        assert inotify_watches(os.getpid()) > FOLDERS
    finally:
        recursive.close()
