"""The virtual environments at a project's top: folders holding a `pyvenv.cfg`.

Runs never pick one up by themselves (`executor.python` names the interpreter); these are
what the messages suggest naming. Only the top level is looked at: a run cannot add an
entry there, and the environments there are protected paths a run cannot change.
"""

from __future__ import annotations

import os
from pathlib import Path

# The most entries of the project's top level looked at.
_MOST_ENTRIES = 1000


def top_level_environments(root: Path) -> list[str]:
    """The paths of the virtual environments among the first entries of `root`, sorted."""
    found: list[str] = []
    try:
        with os.scandir(root) as entries:
            for count, entry in enumerate(entries):
                if count >= _MOST_ENTRIES:
                    break
                if entry.is_dir(follow_symlinks=False) and os.path.isfile(
                    os.path.join(entry.path, "pyvenv.cfg")
                ):
                    found.append(entry.path)
    except OSError:
        return []
    return sorted(found)
