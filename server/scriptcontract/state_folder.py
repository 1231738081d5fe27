"""The user's state folder: outside every project, where no run may read or write."""

from __future__ import annotations

import os
from pathlib import Path


def state_folder() -> Path:
    """`$XDG_STATE_HOME/scriptcontract`, or `~/.local/state/scriptcontract`."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "scriptcontract"
