"""Run the real `scriptcontract` CLI in a subprocess, bounded in time."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.interpreter import environment
from tests.time_limits import run_bound


def scriptcontract(
    *args: str,
    cwd: Path | None = None,
    stdin: str = "{}",
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> subprocess.CompletedProcess[str]:
    """`scriptcontract *args`; `timeout` defaults to the bound of the run it may start.

    Stdin is a pipe holding `stdin` (an empty JSON object unless given: `run` reads piped
    stdin as its inputs), never the terminal or whatever pytest has. `env`: variables set on
    top of this process's environment. `options` go to `subprocess.run` (`preexec_fn`). The
    scripts it runs run under the interpreter under test.
    """
    return subprocess.run(
        [sys.executable, "-m", "scriptcontract", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=run_bound(_timeout_ms(args)) if timeout is None else timeout,
        env=environment({**os.environ, **(env or {})}),
        **options,
    )


def _timeout_ms(args: tuple[str, ...]) -> int | None:
    """The `--timeout-ms` given to a run, if any."""
    for flag, value in itertools.pairwise(args):
        if flag == "--timeout-ms" and value.isdigit() and int(value) > 0:
            return int(value)
    return None


def run_check(cwd: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """`scriptcontract check *args` in `cwd`."""
    return scriptcontract("check", *args, cwd=cwd, **options)


def stage_in_git(root: Path, *paths: str) -> None:
    """Make `root` a git repository holding `paths` in its index, as a user's `git add`."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q", "."], cwd=root, check=True, timeout=30)
    subprocess.run([*git, "add", "--", *paths], cwd=root, check=True, timeout=30)
