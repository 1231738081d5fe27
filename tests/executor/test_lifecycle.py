"""Timeouts, floods, unread stdin, concurrency and cancellation: nothing left behind."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid

import pytest

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.procs import live_with_marker
from tests.time_limits import REQUEST_BOUND_S

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


async def test_timeout_kills_children_and_grandchildren(
    project: Project, executor: PythonExecutor
) -> None:
    marker = f"sc-{uuid.uuid4().hex}"
    project.write(
        "scripts/spawner.py",
        f"""
        import subprocess, sys, time
        # a child that starts a grandchild, plus a double-forked one
        subprocess.Popen([sys.executable, "-c",
            "import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '{marker}']); "
            "time.sleep(300)", "{marker}"])
        import os
        if os.fork() == 0:
            if os.fork() == 0:
                code = "import time; time.sleep(300)"
                os.execv(sys.executable, [sys.executable, "-c", code, "{marker}"])
            os._exit(0)
        print("spawned", file=sys.stderr, flush=True)
        time.sleep(300)
        """,
    )
    result = await executor.execute_script("scripts/spawner.py", timeout_ms=1500)
    assert result.timed_out
    assert "spawned" in result.stderr
    assert live_with_marker(marker) == []


async def test_leftover_background_process_killed_after_normal_exit(
    project: Project, executor: PythonExecutor
) -> None:
    marker = f"sc-{uuid.uuid4().hex}"
    project.write(
        "scripts/bg.py",
        f"""
        import subprocess, sys, json
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{marker}"],
                         stdout=subprocess.DEVNULL)
        print(json.dumps({{"success": True}}))
        """,
    )
    result = await executor.execute_script("scripts/bg.py")
    assert result.success
    assert live_with_marker(marker) == []


async def test_background_process_holding_stdout_does_not_hang_the_run(
    project: Project, executor: PythonExecutor
) -> None:
    marker = f"sc-{uuid.uuid4().hex}"
    project.write(
        "scripts/holder.py",
        f"""
        import subprocess, sys, json
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{marker}"])
        print(json.dumps({{"success": True}}), flush=True)
        """,
    )
    started = time.monotonic()
    result = await executor.execute_script("scripts/holder.py", timeout_ms=20000)
    assert result.success
    assert time.monotonic() - started < 10
    assert live_with_marker(marker) == []


async def test_timeout_stack_points_at_the_running_line(
    project: Project, executor: PythonExecutor
) -> None:
    project.write(
        "scripts/stuck.py",
        """
        import time

        def wait_forever():
            while True:
                time.sleep(0.05)

        wait_forever()
        """,
    )
    result = await executor.execute_script("scripts/stuck.py", timeout_ms=700)
    assert result.timed_out
    assert result.timeout_stack is not None
    assert 'stuck.py", line 5 in wait_forever' in result.timeout_stack


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
async def test_output_flood_is_stopped(
    project: Project, stream: str, make_executor: MakeExecutor
) -> None:
    executor = make_executor(project.root, stdout_limit=64 * 1024, stderr_limit=32 * 1024)
    project.write(
        "scripts/flood.py",
        f"""
        import sys
        chunk = "x" * 65536
        while True:
            sys.{stream}.write(chunk)
        """,
    )
    result = await executor.execute_script("scripts/flood.py", timeout_ms=20000)
    assert not result.success
    limit = "64 KiB" if stream == "stdout" else "32 KiB"
    assert result.error == f"Script wrote more than {limit} to {stream}; the run was stopped"
    assert result.error_kind == "output"
    captured = result.stdout if stream == "stdout" else result.stderr
    assert len(captured) == (64 if stream == "stdout" else 32) * 1024
    assert result.stdout_truncated is (stream == "stdout")


async def test_one_huge_line_is_capped(project: Project, make_executor: MakeExecutor) -> None:
    executor = make_executor(project.root, stdout_limit=1024 * 1024)
    project.write("scripts/line.py", "import sys\nsys.stdout.write('a' * (100 * 1024 * 1024))\n")
    result = await executor.execute_script("scripts/line.py", timeout_ms=20000)
    assert result.error == "Script wrote more than 1 MiB to stdout; the run was stopped"
    assert len(result.stdout) == 1024 * 1024


async def test_unread_large_stdin_does_not_deadlock(
    project: Project, executor: PythonExecutor
) -> None:
    project.write("scripts/ignores.py", "print('{\"success\": true}')\n")
    inputs = {"blob": "z" * (50 * 1024 * 1024)}
    result = await executor.execute_script("scripts/ignores.py", inputs, timeout_ms=20000)
    assert result.success, result.error
    assert result.output == {"success": True}


async def test_large_stdin_read_whole(project: Project, executor: PythonExecutor) -> None:
    project.write(
        "scripts/reads.py",
        "import json, sys\nd = json.load(sys.stdin)\nprint(json.dumps({'n': len(d['blob'])}))\n",
    )
    result = await executor.execute_script(
        "scripts/reads.py", {"blob": "z" * (20 * 1024 * 1024)}, timeout_ms=20000
    )
    assert result.output == {"n": 20 * 1024 * 1024}


async def test_script_closing_stdout_early(project: Project, executor: PythonExecutor) -> None:
    project.write(
        "scripts/closes.py",
        """
        import os, sys, time
        sys.stdout.write('{"success": true}')
        sys.stdout.flush()
        os.close(1)
        time.sleep(0.2)
        """,
    )
    result = await executor.execute_script("scripts/closes.py")
    assert result.success, (result.error, result.stderr)


async def test_twenty_concurrent_runs_do_not_mix(
    project: Project, executor: PythonExecutor
) -> None:
    project.write(
        "scripts/echo.py",
        """
        import json, sys, time
        d = json.load(sys.stdin)
        time.sleep(0.05 * (d["i"] % 3))
        print(json.dumps({"i": d["i"]}))
        print("err", d["i"], file=sys.stderr)
        """,
    )
    results = await asyncio.gather(
        *(executor.execute_script("scripts/echo.py", {"i": i}) for i in range(20))
    )
    for i, result in enumerate(results):
        assert result.success, result.error
        assert result.output == {"i": i}
        assert result.stderr == f"err {i}\n"


async def test_cancelling_the_task_kills_the_run(
    project: Project, executor: PythonExecutor
) -> None:
    marker = f"sc-{uuid.uuid4().hex}"
    project.write(
        "scripts/long.py",
        f"""
        import subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{marker}"])
        time.sleep(300)
        """,
    )
    task = asyncio.ensure_future(executor.execute_script("scripts/long.py", timeout_ms=60000))
    # Until the script's child is there: a fixed 0.8 s was too short beside the suite's
    # other workers (as an unprivileged user, 2 cores, load 10).
    waited_until = time.monotonic() + REQUEST_BOUND_S
    while not live_with_marker(marker) and time.monotonic() < waited_until:
        await asyncio.sleep(0.05)
    assert live_with_marker(marker) != []
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 2
    assert live_with_marker(marker) == []
    # The executor still serves the next run.
    project.write("scripts/ok.py", "print('{}')")
    assert (await executor.execute_script("scripts/ok.py")).success
