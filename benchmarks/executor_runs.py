"""Run-time figures of the executor beside a plain interpreter spawn, measured side by side.

    python benchmarks/executor_runs.py [--runs N] [--python PATH]

Prints the median and p90 of: a plain `python -I hello.py` spawn with the same JSON in and out
(the reference), a cold executor run with the sandbox and one without it, and a warm run (a
child forked from the pre-started runner, sandbox on), with ratios to the reference.
Runs are interleaved so that machine noise hits every mode alike.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from scriptcontract.executor import PythonExecutor, SandboxPolicy
from scriptcontract.executor.interpreter import resolve_interpreter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INPUTS = {"name": "Lighthouse", "padding": "x" * 5000}
PLAIN, COLD_ON, COLD_OFF, WARM = (
    "plain python -I spawn",
    "cold, sandbox on",
    "cold, sandbox off",
    "warm, sandbox on",
)


async def plain_spawn(python: str, script: Path, root: Path) -> None:
    import json

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


async def measure(runs: int, python: str) -> dict[str, list[float]]:
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
    for _ in range(runs):
        for name, run in modes.items():
            started = time.perf_counter()
            await run()
            times[name].append((time.perf_counter() - started) * 1000)
    shutil.rmtree(root.parent, ignore_errors=True)
    return times


def report(times: dict[str, list[float]], runs: int, python: str) -> None:
    reference = statistics.median(times[PLAIN])
    print(f"hello.py, {runs} interleaved runs each, 5 KB of JSON in ({python})")
    print(f"{'mode':28} {'median ms':>10} {'p90 ms':>8} {'x plain':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:28} {median:10.1f} {p90:8.1f} {median / reference:8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    report(asyncio.run(measure(args.runs, args.python)), args.runs, args.python)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
