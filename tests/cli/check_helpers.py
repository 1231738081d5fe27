"""Running the real `scriptcontract check` as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_check(
    cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`env`: variables set on top of this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "scriptcontract", "check", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
