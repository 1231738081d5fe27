"""Run the real `scriptcontract` CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def scriptcontract(
    *args: str,
    cwd: Path | None = None,
    stdin: str = "{}",
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`env`: variables set on top of this process's environment. Stdin is a pipe holding
    `stdin` (an empty JSON object unless given: `run` reads piped stdin as its inputs),
    never the terminal or whatever pytest has."""
    return subprocess.run(
        [sys.executable, "-m", "scriptcontract", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env} if env else None,
    )
