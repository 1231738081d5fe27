"""Helpers to see which processes a test's script left behind."""

from __future__ import annotations

import os
from pathlib import Path


def live_with_marker(marker: str) -> list[int]:
    """Pids of live (not zombie) processes whose command line contains `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        state = stat[stat.rfind(b")") + 2 :].split()[0]
        if marker in cmdline and state not in (b"Z", b"X"):
            found.append(int(entry.name))
    return found
