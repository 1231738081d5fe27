"""A run dies with whatever runs it: `scriptcontract run` stopped by a signal, or killed
outright, and an embedding program killed in the middle of a warm run.

The script starts a child and an orphaned grandchild that would sleep for minutes, and
writes their pids where the test finds them. Each test first sees them alive (so "gone"
means something), and the positive control shows that without the executor's care such
processes do outlive their parent.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.executor.test_sandbox_platform import needs_linux
from tests.interpreter import environment
from tests.procs import is_alive, live_in_group
from tests.time_limits import slowdown

pytestmark = needs_linux

LIVES_LONG = """
import json, os, subprocess, sys, time
sleeper = "import os, time\\nopen('data/pid-%d' % os.getpid(), 'w').close()\\ntime.sleep(300)\\n"
child = subprocess.Popen([sys.executable, "-c", sleeper])
# A grandchild whose parent exits at once: an orphan, still of the run.
subprocess.run([sys.executable, "-c", "import os\\nif os.fork() == 0:\\n" + "".join(
    "    " + line + "\\n" for line in sleeper.splitlines())], timeout=30)
open("data/pid-%d" % os.getpid(), "w").close()
time.sleep(300)
print(json.dumps({"success": True}))
"""
EXPECTED_PIDS = 3  # the script, its child, the orphan


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "pyproject.toml").write_text("[tool.scriptcontract]\n")
    (root / "scripts/lives.py").write_text(LIVES_LONG)
    return root


def _pids(root: Path, timeout: float = 20.0) -> list[int]:
    """The pids the run's processes wrote, once all of them did, each seen alive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [int(p.name.split("-")[1]) for p in (root / "data").glob("pid-*")]
        if len(found) >= EXPECTED_PIDS:
            alive = [pid for pid in found if is_alive(pid)]
            assert alive == found, f"not all alive: {found}, alive {alive}"
            return found
        time.sleep(0.05)
    raise AssertionError(f"the run's processes never started: {list((root / 'data').iterdir())}")


def _all_gone(pids: list[int]) -> list[int]:
    """Those of `pids` still alive once none is, or when the bound ran out."""
    return _until_none_left(lambda: [pid for pid in pids if is_alive(pid)])


def _until_none_left(alive: Callable[[], list[int]], quiet_s: float = 10.0) -> list[int]:
    """What `alive()` finds once it finds nothing, or after `quiet_s` (what the kill takes on
    a quiet machine, with room to spare) stretched by the measured slowdown: the kill is the
    work of other processes (the keeper, the kernel), which a busy machine slows."""
    deadline = time.monotonic() + quiet_s
    stretched = False
    while True:
        left = alive()
        if not left:
            return []
        if time.monotonic() >= deadline:
            if stretched:
                return left
            deadline += quiet_s * (slowdown() - 1)
            stretched = True
        time.sleep(0.05)


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _cli(root: Path, tmp: Path) -> subprocess.Popen[str]:
    env = environment({**os.environ, "TMPDIR": str(tmp)})
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scriptcontract",
            "run",
            "scripts/lives.py",
            "--root",
            str(root),
            "--timeout-ms",
            "120000",
            "--inputs",
            "{}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_the_positive_control_such_processes_outlive_a_killed_parent(tmp_path: Path) -> None:
    root = _project(tmp_path)
    script = subprocess.Popen(
        [sys.executable, str(root / "scripts/lives.py")], cwd=root, start_new_session=True
    )
    try:
        pids = _pids(root)
        script.kill()
        script.wait(timeout=10)
        survivors = [pid for pid in pids if pid != script.pid]
        time.sleep(0.5)
        assert [pid for pid in survivors if is_alive(pid)] == survivors
    finally:
        _kill_all(pids if "pids" in locals() else [])


@pytest.mark.parametrize(
    "number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda n: signal.Signals(n).name
)
def test_a_signal_to_run_kills_the_script_and_cleans_up(tmp_path: Path, number: int) -> None:
    root = _project(tmp_path)
    runs = tmp_path / "tmp"
    runs.mkdir()
    cli = _cli(root, runs)
    pids: list[int] = []
    try:
        pids = _pids(root)
        assert list(runs.iterdir()), "the run has its private temp dir"
        cli.send_signal(number)
        _out, err = cli.communicate(timeout=15)
        assert cli.returncode == 128 + number, err
        assert f"stopped by {signal.Signals(number).name}" in err
        assert _all_gone(pids) == []
        assert list(runs.iterdir()) == [], "the private temp dir is removed"
    finally:
        cli.kill()
        _kill_all(pids)


def test_a_killed_run_command_takes_the_script_with_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    runs = tmp_path / "tmp"
    runs.mkdir()
    cli = _cli(root, runs)
    pids: list[int] = []
    try:
        pids = _pids(root)
        cli.kill()  # SIGKILL: nothing of the command runs any more
        cli.wait(timeout=10)
        assert _all_gone(pids) == []
    finally:
        _kill_all(pids)


EMBEDDER = """
import asyncio, sys
from scriptcontract.executor import PythonExecutor
async def main():
    executor = PythonExecutor(
        sys.argv[1], mode="warm", default_timeout_ms=120000, python_path=sys.executable
    )
    await executor.execute_script("scripts/lives.py")
asyncio.run(main())
"""


def test_a_killed_embedder_takes_its_warm_runs_with_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    embedder = subprocess.Popen([sys.executable, "-c", EMBEDDER, str(root)], start_new_session=True)
    pids: list[int] = []
    try:
        pids = _pids(root)
        embedder.kill()
        embedder.wait(timeout=10)
        assert _all_gone(pids) == []
    finally:
        embedder.kill()
        _kill_all(pids)


DIES_BEFORE_KEEPING = """
import asyncio, glob, os, signal, sys, time
from scriptcontract.executor import PythonExecutor
from scriptcontract.executor.run_keeper import RunKeeper
def dies_first(_keeper, pgid):
    # Slow to register the run (a busy machine), then killed: the script has all the time
    # it needs to start, unless it waits for its registration.
    with open(sys.argv[2], "w") as handle:
        handle.write(str(pgid))
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not glob.glob(sys.argv[1] + "/data/pid-*"):
        time.sleep(0.02)
    os.kill(os.getpid(), signal.SIGKILL)
RunKeeper.keep = dies_first
executor = PythonExecutor(
    sys.argv[1], mode="cold", default_timeout_ms=120000, python_path=sys.executable
)
asyncio.run(executor.execute_script("scripts/lives.py"))
"""


def test_an_executor_killed_before_it_registers_a_cold_run_runs_none_of_the_script(
    tmp_path: Path,
) -> None:
    """The moment between starting a cold run and registering its group with the keeper,
    stretched (the embedder waits up to 2 s for the script's first pid file, which a script
    that ran wrote by then) and ended by a SIGKILL: the keeper never hears of the run, so
    nothing of the script may have run."""
    root = _project(tmp_path)
    started = tmp_path / "started"
    embedder = subprocess.Popen(
        [sys.executable, "-c", DIES_BEFORE_KEEPING, str(root), str(started)],
        env=environment(dict(os.environ)),
        start_new_session=True,
    )
    pgid = 0
    try:
        assert embedder.wait(timeout=30) == -signal.SIGKILL
        pgid = int(started.read_text())  # the run's first process was started
        # Its end is the round trip: a script that ran would keep its group alive.
        left = _until_none_left(lambda: live_in_group(pgid))
        assert left == [], "the run's group lives on, unregistered"
        assert list((root / "data").iterdir()) == [], "the script ran"
    finally:
        embedder.kill()
        if pgid:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)


NO_KEEPER = """
import asyncio, json, sys
from scriptcontract.executor import PythonExecutor
python = sys.executable
if sys.argv[2] == "no keeper":
    # The keeper is started from this process's interpreter: gone, it cannot start (as
    # when no process or memory is left), while scripts still run under `python`.
    sys.executable = sys.argv[1] + "/no-such-python"
executor = PythonExecutor(sys.argv[1], mode="cold", default_timeout_ms=60000, python_path=python)
result = asyncio.run(executor.execute_script("scripts/marks.py"))
print(json.dumps({"success": result.success, "error": result.error}))
"""
MARKS = 'import json\nopen("data/ran", "w").close()\nprint(json.dumps({"success": True}))\n'


@pytest.mark.parametrize("keeper", ["no keeper", "keeper (control)"])
def test_a_cold_run_no_keeper_would_stop_is_refused_and_runs_nothing(
    tmp_path: Path, keeper: str
) -> None:
    root = _project(tmp_path)
    (root / "scripts/marks.py").write_text(MARKS)
    done = subprocess.run(
        [sys.executable, "-c", NO_KEEPER, str(root), keeper],
        env=environment(dict(os.environ)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    if keeper == "no keeper":
        assert result["success"] is False
        assert result["error"].startswith(
            "Refused to run: no process to stop the run should this one die, so it was not "
            "started (the keeper could not start: "
        ), result["error"]
        assert not (root / "data/ran").exists(), "the script ran"
    else:
        assert result == {"success": True, "error": None}
        assert (root / "data/ran").exists()
