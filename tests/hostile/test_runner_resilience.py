"""The warm runner under attack from outside the sandbox's reach, and with large runs.

On kernels without Landlock's signal scope (before 6.12) a script may signal any process of
its user, the warm runner included. These tests do to the runner what such a script could
(the test process sends the signal), and check that runs still come back on time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from scriptcontract.executor import PythonExecutor
from scriptcontract.executor import warm_runner as warm_runner_module
from scriptcontract.executor.warm_runner import stop_warm_runners

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm runs: Linux")

HELLO = 'import json, sys\njson.load(sys.stdin)\nprint(json.dumps({"success": True}))\n'


async def _runner_pid(executor: PythonExecutor) -> int:
    proc = (await executor.warm_runner())._proc
    assert proc is not None
    return proc.pid


async def test_a_stopped_runner_does_not_hang_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm_runner_module, "LAUNCH_TIMEOUT_S", 0.5)
    (tmp_path / "hello.py").write_text(HELLO)
    executor = PythonExecutor(tmp_path, mode="warm", python_path=sys.executable)
    try:
        assert (await executor.execute_script("hello.py")).mode == "warm"
        stopped = await _runner_pid(executor)
        os.kill(stopped, signal.SIGSTOP)
        result = await asyncio.wait_for(executor.execute_script("hello.py", timeout_ms=5000), 30)
        assert result.success, result.error
        # The next run gets a fresh runner instead of the stopped one.
        again = await asyncio.wait_for(executor.execute_script("hello.py", timeout_ms=5000), 30)
        assert again.success, again.error
        assert again.mode == "warm"
        assert await _runner_pid(executor) != stopped
        assert not Path(f"/proc/{stopped}").exists() or _state(stopped) in ("Z", "X")
    finally:
        stop_warm_runners()


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    return stat[stat.rfind(b")") + 2 :].split()[0].decode()


async def test_runs_larger_than_a_pipe_reach_the_child_whole(tmp_path: Path) -> None:
    # The run's environment and arguments travel through a pipe (64 KiB) to the child.
    (tmp_path / "sizes.py").write_text(
        "import json, os, sys\n"
        "json.load(sys.stdin)\n"
        'print(json.dumps({"env": len(os.environ["BIG"]), "args": sum(map(len, sys.argv[1:]))}))'
    )
    executor = PythonExecutor(tmp_path, mode="warm", python_path=sys.executable)
    try:
        result = await executor.execute_script(
            "sizes.py", env={"BIG": "e" * 300_000}, args=["a" * 1000] * 100
        )
    finally:
        stop_warm_runners()
    assert result.success, (result.error, result.stderr)
    assert result.mode == "warm"
    assert result.output == {"env": 300_000, "args": 100_000}
