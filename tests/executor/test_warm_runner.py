"""The warm runner: exit semantics of forked runs, supervision and fallback."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from scriptcontract.executor import PythonExecutor
from scriptcontract.executor.warm_runner import stop_warm_runners
from tests.conftest import Project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm runs: Linux")


@pytest.fixture
def warm(project: Project) -> PythonExecutor:
    return PythonExecutor(project.root, mode="warm")


async def test_exit_runs_atexit_joins_threads_and_flushes_files(
    project: Project, warm: PythonExecutor
) -> None:
    project.write(
        "scripts/exit.py",
        """
        import atexit, json, sys, threading, time
        out = open("scripts/unclosed.txt", "w")
        out.write("kept")  # never closed: the teardown must flush it
        atexit.register(lambda: open("scripts/atexit.txt", "w").write("ran"))
        def late():
            time.sleep(0.2)
            open("scripts/thread.txt", "w").write("joined")
        threading.Thread(target=late).start()
        print(json.dumps({"success": True}))
        sys.stdout.write("")  # buffered output must reach the pipe too
        """,
    )
    result = await warm.execute_script("scripts/exit.py")
    assert result.success, (result.error, result.stderr)
    assert result.mode == "warm"
    assert (project.root / "scripts/unclosed.txt").read_text() == "kept"
    assert (project.root / "scripts/atexit.txt").read_text() == "ran"
    assert (project.root / "scripts/thread.txt").read_text() == "joined"


@pytest.mark.parametrize(
    ("exit_line", "code", "stderr"),
    [
        ("sys.exit()", 0, ""),
        ("sys.exit(3)", 3, ""),
        ("sys.exit('bad input')", 1, "bad input\n"),
        ("raise SystemExit(2)", 2, ""),
    ],
)
async def test_exit_codes_match_cold(
    project: Project, exit_line: str, code: int, stderr: str
) -> None:
    project.write("scripts/x.py", f"import sys\nprint('{{}}')\n{exit_line}\n")
    for mode in ("cold", "warm"):
        result = await PythonExecutor(project.root, mode=mode).execute_script("scripts/x.py")
        assert (result.exit_code, result.stderr, result.mode) == (code, stderr, mode)


async def test_runs_do_not_share_state(project: Project, warm: PythonExecutor) -> None:
    project.write(
        "scripts/state.py",
        """
        import json, os
        before = (getattr(json, "left_by_a_run", None), os.environ.get("LEFT_BY_A_RUN"))
        json.left_by_a_run = os.environ["LEFT_BY_A_RUN"] = "yes"
        # The positive control: within one run, what was set is seen.
        after = (getattr(json, "left_by_a_run", None), os.environ.get("LEFT_BY_A_RUN"))
        print(json.dumps({"before": before, "after": after}))
        """,
    )
    first = await warm.execute_script("scripts/state.py")
    second = await warm.execute_script("scripts/state.py")
    expected = {"before": [None, None], "after": ["yes", "yes"]}
    assert first.output == second.output == expected, (first.output, second.output)
    assert first.mode == second.mode == "warm"


# What a script could change in its interpreter, its process and its temp dir for a later run
# to find (a run of the user's own script, whose json.dumps would then forge its result).
STATE = """
import builtins, json, os, resource, signal, sys, threading
def state():
    fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
    return {
        "print": builtins.print.__module__,
        "dumps": json.dumps.__module__,
        "modules": "planted_module" in sys.modules,
        "path": "/planted" in sys.path,
        "env": os.environ.get("PLANTED"),
        "sigterm": str(signal.getsignal(signal.SIGTERM)),
        "umask": os.umask(0o022),
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "cwd": os.getcwd() == os.environ["SCRIPTCONTRACT_PROJECT_ROOT"],
        "threads": threading.active_count(),
        "fd77": 77 in fds,
        "tmp": os.listdir(os.environ["TMPDIR"]),
    }
original_dumps, original_write = json.dumps, sys.stdout.write
before = state()
if sys.argv[1:] == ["tamper"]:
    builtins.print = lambda *args, **kwargs: None
    json.dumps = lambda *args, **kwargs: '{"success": true, "forged": true}'
    sys.modules["planted_module"] = type(sys)("planted_module")
    sys.path.insert(0, "/planted")
    os.environ["PLANTED"] = "yes"
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.chdir("scripts")
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    os.dup2(0, 77, inheritable=True)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    open(os.path.join(os.environ["TMPDIR"], "left-behind"), "w").write("x")
    os.umask(0o000)
original_write(original_dumps({"before": before, "after": state()}) + "\\n")
"""


async def test_a_run_leaves_nothing_in_the_warm_runner_for_the_next(
    project: Project, warm: PythonExecutor
) -> None:
    """Every warm run is a new process forked from the runner, which never runs a script: a
    run's changes to builtins, modules, signals, limits, threads, descriptors or its temp dir
    end with it (the tenth red team, tried and stopped)."""
    project.write("scripts/state.py", STATE)
    clean = await warm.execute_script("scripts/state.py")
    runner = (await warm.warm_runner()).pid
    tampered = await warm.execute_script("scripts/state.py", args=["tamper"])
    later = await warm.execute_script("scripts/state.py")
    assert [r.mode for r in (clean, tampered, later)] == ["warm"] * 3
    assert (await warm.warm_runner()).pid == runner  # the same runner served all three
    assert clean.output is not None and tampered.output is not None
    # The positive control: within the tampering run, every change took.
    changed = tampered.output["after"]
    pristine = clean.output["before"]
    assert all(changed[key] != pristine[key] for key in pristine), (changed, pristine)
    assert tampered.output["before"] == pristine
    assert later.output == clean.output, (later.output, clean.output)


async def test_dead_runner_is_restarted(project: Project, warm: PythonExecutor) -> None:
    project.write("scripts/ok.py", "print('{\"success\": true}')\n")
    assert (await warm.execute_script("scripts/ok.py")).mode == "warm"
    runner = await warm.warm_runner()
    assert runner._proc is not None
    os.kill(runner._proc.pid, signal.SIGKILL)
    runner._proc.wait()
    results = [await warm.execute_script("scripts/ok.py") for _ in range(3)]
    assert all(r.success for r in results), [r.error for r in results]
    assert results[-1].mode == "warm"
    assert runner.restarts == 1


async def test_runner_that_cannot_start_falls_back_to_cold(
    project: Project, warm: PythonExecutor
) -> None:
    project.write("scripts/ok.py", "print('{\"success\": true}')\n")
    runner = await warm.warm_runner()
    real_python = runner.python
    runner.python = str(project.root / "no-such-python")
    try:
        result = await warm.execute_script("scripts/ok.py")
    finally:
        runner.python = real_python
    # The launch failed before anything ran: the run went cold instead of failing.
    assert result.success, result.error
    assert result.mode == "cold"


async def test_stopped_runners_leave_no_process(project: Project, warm: PythonExecutor) -> None:
    project.write("scripts/ok.py", "print('{}')\n")
    await warm.execute_script("scripts/ok.py")
    runner = await warm.warm_runner()
    proc = runner._proc
    assert proc is not None and proc.poll() is None
    stop_warm_runners()
    assert proc.wait(timeout=5) is not None


async def test_launches_cancelled_early_leave_no_process(
    project: Project, warm: PythonExecutor
) -> None:
    import asyncio
    import uuid

    from tests.procs import live_with_marker

    marker = f"sc-{uuid.uuid4().hex}"
    project.write(
        "scripts/long.py",
        f"import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '{marker}'])\n"
        "time.sleep(300)\n",
    )
    await warm.execute_script("scripts/long.py", timeout_ms=300)  # the runner is up
    for delay in (0, 0.001, 0.002, 0.005, 0.02, 0.2):
        task = asyncio.ensure_future(warm.execute_script("scripts/long.py", timeout_ms=60000))
        await asyncio.sleep(delay)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    for _ in range(50):  # a child reported after its launch was cancelled is killed then
        if not live_with_marker(marker):
            break
        await asyncio.sleep(0.05)
    assert live_with_marker(marker) == []


PID_SCRIPT = "import json, os\nprint(json.dumps({'success': True, 'pid': os.getpid()}))\n"
NS_LAST_PID = Path("/proc/sys/kernel/ns_last_pid")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


async def _alone(zygote: int, gone: int) -> None:
    """Until `gone` is no child of the runner any more (it was reaped)."""
    for _ in range(200):
        if gone not in _children(zygote):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{gone} was never reaped")


def _can_place_pids() -> bool:
    """Whether this process may write ns_last_pid (CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE):
    the file's mode lets everyone try, so `os.access` says yes to a user the kernel refuses.
    Asked by writing back the value it holds."""
    try:
        NS_LAST_PID.write_text(NS_LAST_PID.read_text())
    except OSError:
        return False
    return True


@pytest.mark.skipif(
    not _can_place_pids(),
    reason="places a pid through /proc/sys/kernel/ns_last_pid: needs root",
)
async def test_a_pid_reused_after_a_cancelled_launch_is_not_taken_for_exited(
    project: Project, warm: PythonExecutor
) -> None:
    """A launch cancelled before the runner answered leaves its child's exit, reported
    later, to nobody. Kept by pid, it was taken for the exit of the next run the kernel gave
    that pid (a script can cycle pids quickly where pid_max is 32768): that run, the user's
    own perhaps, was reported killed at once. The control: the later run did get that pid."""
    project.write("scripts/pid.py", PID_SCRIPT)
    project.write("scripts/long.py", "import time\ntime.sleep(60)\n")
    assert (await warm.execute_script("scripts/pid.py")).mode == "warm"
    zygote = (await warm.warm_runner()).pid
    assert zygote is not None
    for _ in range(100):  # the runner forks the next run's child ahead, once idle
        if _children(zygote):
            break
        await asyncio.sleep(0.01)
    (cancelled,) = _children(zygote)
    os.kill(zygote, signal.SIGSTOP)
    try:
        task = asyncio.ensure_future(warm.execute_script("scripts/long.py", timeout_ms=60000))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        os.kill(zygote, signal.SIGCONT)
    await _alone(zygote, cancelled)  # given the run, then killed: its exit was reported
    for _attempt in range(40):
        # The child forked ahead goes; the next run's child is forked on its request, with
        # the pid after ns_last_pid (unless another process of the machine forks first).
        for _ in range(100):
            if _children(zygote):
                break
            await asyncio.sleep(0.01)
        for ready in _children(zygote):
            os.kill(ready, signal.SIGKILL)
            await _alone(zygote, ready)
        NS_LAST_PID.write_text(str(cancelled - 1))
        result = await warm.execute_script("scripts/pid.py")
        if result.output is not None and result.output.get("pid") == cancelled:
            break
        assert result.success, (result.error, result.exit_code)
    else:
        raise AssertionError(f"no run got pid {cancelled} again in 40 attempts")
    assert result.success, (result.error, result.exit_code, result.stderr[-300:])
    assert result.mode == "warm"
