"""Running the real `scriptcontract check` as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scriptcontract", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
