"""Questions `check` asks git (which files it tracks, what its index holds), safely.

git is run from a project root, whose repository a run cannot write; but a repository a run
planted below holds a configuration of its choosing, and git would run its fsmonitor or its
hooks: neither is ever run.
"""

from __future__ import annotations

import os
from pathlib import Path

GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def git_output(cwd: Path, *args: str, timeout_s: float = 30) -> str | None:
    """What `git ARGS` prints, run from `cwd`; None when git is missing, fails or does not
    answer in time (what it would have said is then not known)."""
    import subprocess  # ~3 ms, which a check that asks git nothing does not pay

    try:
        done = subprocess.run(
            [*GIT, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="surrogateescape",
            timeout=timeout_s,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
