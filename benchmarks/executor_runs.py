"""Run-time figures of the executor beside a plain interpreter spawn, measured side by side.

    python benchmarks/executor_runs.py [--runs N] [--python PATH] [--cpu] [--instructions]

Prints the median and p90 of: a plain `python -I hello.py` spawn with the same JSON in and out
(the reference), a cold executor run with the sandbox and one without it, and a warm run (a
child forked from the pre-started runner, sandbox on), with ratios to the reference.
Runs are interleaved so that machine noise hits every mode alike.

Wall times on a shared machine move with the other work on it; two figures do not:
`--cpu` adds the CPU time per run of this process (the caller: the executor, its event loop)
and of the run's processes (the spawned interpreter; for a warm run, the runner's fork and
its child), and `--instructions` counts the user-space instructions of one cold run's child
and of the plain spawn under valgrind's callgrind (kernel work, page faults and the warm
runner are not in that count: see the CPU figures for those).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from scriptcontract.executor import PythonExecutor, SandboxPolicy, python_executor
from scriptcontract.executor.interpreter import resolve_interpreter
from scriptcontract.executor.launch import ColdLauncher

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INPUTS = {"name": "Lighthouse", "padding": "x" * 5000}
PLAIN, COLD_ON, COLD_OFF, WARM = (
    "plain python -I spawn",
    "cold, sandbox on",
    "cold, sandbox off",
    "warm, sandbox on",
)
CALLGRIND = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
_COLLECTED = re.compile(r"==\d+== Collected : (\d+)")


@dataclass
class CpuTime:
    """CPU milliseconds summed over the measured runs of one mode."""

    caller: float = 0.0
    run: float = 0.0
    run_faults: int = 0  # minor page faults: mostly copy-on-write copies in a warm child
    runs: int = 0


async def plain_spawn(python: str, script: Path, root: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        python,
        "-I",
        str(script),
        cwd=root,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate(json.dumps(INPUTS).encode())
    assert json.loads(out)["success"]


def _own_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _children_usage() -> tuple[float, int]:
    """CPU ms and minor faults of every reaped child (a cold run's interpreter, the plain spawn)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_minflt


def _runner_usage(pid: int | None) -> tuple[float, int]:
    """CPU ms and minor faults of the warm runner and its reaped children (the runs).

    /proc counts CPU in clock ticks (10 ms): summed over many runs, the mean is still fine.
    """
    if pid is None:
        return 0.0, 0
    with open(f"/proc/{pid}/stat") as handle:
        fields = [int(value) for value in handle.read().rpartition(")")[2].split()[7:15]]
    minflt, cminflt, _majflt, _cmajflt, utime, stime, cutime, cstime = fields
    ticks = utime + stime + cutime + cstime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK"), minflt + cminflt


async def measure(
    runs: int, python: str, cpu: dict[str, CpuTime] | None = None
) -> dict[str, list[float]]:
    """Wall milliseconds per run of every mode; CPU totals into `cpu` when given."""
    root = Path(tempfile.mkdtemp()) / "examples"
    shutil.copytree(EXAMPLES, root)
    script = root / "scripts/hello.py"
    real_python = (await resolve_interpreter(python)).executable
    sandboxed = PythonExecutor(root, python_path=real_python)
    bare = PythonExecutor(root, python_path=real_python, sandbox=SandboxPolicy(enabled=False))
    warm = PythonExecutor(root, python_path=real_python, mode="warm")

    async def executor_run(executor: PythonExecutor) -> None:
        result = await executor.execute_script("scripts/hello.py", INPUTS)
        assert result.success, result.error
        assert result.mode == executor.mode

    modes: dict[str, Callable[[], Awaitable[None]]] = {
        PLAIN: lambda: plain_spawn(real_python, script, root),
        COLD_ON: lambda: executor_run(sandboxed),
        COLD_OFF: lambda: executor_run(bare),
        WARM: lambda: executor_run(warm),
    }
    times: dict[str, list[float]] = {name: [] for name in modes}
    for run in modes.values():  # warm-up: page cache, interpreter resolution
        await run()
    runner = await warm.warm_runner()
    for _ in range(runs):
        for name, run in modes.items():
            run_usage = _runner_usage(runner.pid) if name == WARM else _children_usage()
            caller = _own_cpu_ms()
            started = time.perf_counter()
            await run()
            times[name].append((time.perf_counter() - started) * 1000)
            if cpu is not None:
                total = cpu.setdefault(name, CpuTime())
                total.caller += _own_cpu_ms() - caller
                after = _runner_usage(runner.pid) if name == WARM else _children_usage()
                total.run += after[0] - run_usage[0]
                total.run_faults += after[1] - run_usage[1]
                total.runs += 1
    shutil.rmtree(root.parent, ignore_errors=True)
    return times


class _CallgrindLauncher(ColdLauncher):
    """A cold launch with the interpreter under callgrind; its count ends up in stderr."""

    def command(self, spec_fd: int) -> list[str]:
        return [*CALLGRIND, *super().command(spec_fd)]


def _collected(stderr: str) -> int:
    found = _COLLECTED.findall(stderr)
    if not found:
        raise RuntimeError("no instruction count in valgrind's output:\n" + stderr[-2000:])
    return int(found[-1])


async def count_instructions(python: str) -> dict[str, int]:
    """User-space instructions of one run's child process: plain spawn and cold runs."""
    root = Path(tempfile.mkdtemp()) / "examples"
    shutil.copytree(EXAMPLES, root)
    real_python = (await resolve_interpreter(python)).executable
    counts: dict[str, int] = {}
    try:
        plain = subprocess.run(
            [*CALLGRIND, real_python, "-I", str(root / "scripts/hello.py")],
            input=json.dumps(INPUTS).encode(),
            capture_output=True,
            cwd=root,
            check=True,
        )
        counts[PLAIN] = _collected(plain.stderr.decode())
        for name, policy in ((COLD_ON, SandboxPolicy()), (COLD_OFF, SandboxPolicy(enabled=False))):
            executor = PythonExecutor(
                root, python_path=real_python, sandbox=policy, default_timeout_ms=60000
            )
            await executor.execute_script("scripts/hello.py", INPUTS)  # .pyc files written
            with mock.patch.object(python_executor, "ColdLauncher", _CallgrindLauncher):
                result = await executor.execute_script("scripts/hello.py", INPUTS)
            assert result.success, result.error
            counts[name] = _collected(result.stderr)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    return counts


def report(
    times: dict[str, list[float]],
    runs: int,
    python: str,
    cpu: dict[str, CpuTime] | None = None,
) -> None:
    reference = statistics.median(times[PLAIN])
    print(f"hello.py, {runs} interleaved runs each, 5 KB of JSON in ({python})")
    header = f"{'mode':28} {'median ms':>10} {'p90 ms':>8} {'x plain':>8}"
    if cpu is not None:
        header += f" {'caller cpu':>11} {'run cpu':>8} {'total cpu':>10} {'run faults':>11}"
    print(header)
    for name, values in times.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        line = f"{name:28} {median:10.1f} {p90:8.1f} {median / reference:8.2f}"
        if cpu is not None and name in cpu:
            used = cpu[name]
            caller, run = used.caller / used.runs, used.run / used.runs
            faults = used.run_faults / used.runs
            line += f" {caller:11.2f} {run:8.2f} {caller + run:10.2f} {faults:11.0f}"
        print(line)
    if cpu is not None:
        print(
            "(mean per run: cpu in ms, caller = this process, run = the run's processes;"
            " faults = the run's minor page faults)"
        )


def report_instructions(counts: dict[str, int], python: str) -> None:
    reference = counts[PLAIN]
    print(f"hello.py, instructions of one run's child process (callgrind, {python})")
    print(f"{'mode':28} {'instructions':>14} {'x plain':>8}")
    for name, count in counts.items():
        print(f"{name:28} {count:14,d} {count / reference:8.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cpu", action="store_true", help="CPU time of caller and run")
    parser.add_argument(
        "--instructions", action="store_true", help="instruction counts (needs valgrind)"
    )
    args = parser.parse_args()
    if args.instructions:
        if shutil.which("valgrind") is None:
            parser.error("--instructions needs valgrind on PATH")
        report_instructions(asyncio.run(count_instructions(args.python)), args.python)
        return 0
    cpu: dict[str, CpuTime] | None = {} if args.cpu else None
    times = asyncio.run(measure(args.runs, args.python, cpu))
    report(times, args.runs, args.python, cpu)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
