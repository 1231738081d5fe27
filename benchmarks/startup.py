"""`scriptcontract check` of one file, as an on-save hook or pre-commit runs it, beside ruff.

    python benchmarks/startup.py [--runs N]

Wall time of the whole command (the console script users run), median of N runs, for one
script of the examples in a project of its own, and its CPU time (user + system, from
getrusage: steadier than wall time on a shared machine):

- changed: the file is analysed (`--no-cache`, as after every edit);
- unchanged: the file comes from the cache (the second run on an unchanged file);
- ruff check on the same file, without and with its cache, and `python -c pass`.

Goal (issue 13): a one-file check <= 60 ms wall.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "examples" / "scripts" / "hello.py"
GOAL_MS = 60.0


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _ms(command: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `command`."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((_cpu() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu)


def _ruff() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:
        return shutil.which("ruff")
    return str(find_ruff_bin())


def scriptcontract_command() -> list[str]:
    """The console script next to this interpreter (what users run), else `-m`."""
    script = Path(sys.executable).with_name("scriptcontract")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scriptcontract"]


def measure(runs: int) -> dict[str, float | None]:
    # As installed by pip, which compiles the bytecode: never a compilation in the figures
    # (PYTHONDONTWRITEBYTECODE would otherwise have every run compile the package again).
    import scriptcontract

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(scriptcontract.__file__).parent)],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "pyproject.toml").write_text("[tool.scriptcontract]\n")
        (project / "scripts").mkdir()
        shutil.copyfile(SCRIPT, project / "scripts" / "job.py")
        ours = [*scriptcontract_command(), "check", "scripts/job.py"]
        # Each figure is the wall time; `<key>_cpu` beside it is the CPU time.
        figures: dict[str, float | None] = {}

        def time_it(key: str, command: list[str]) -> None:
            figures[key], figures[f"{key}_cpu"] = _ms(command, project, runs)

        time_it("python_pass", [sys.executable, "-c", "pass"])
        time_it("changed", [*ours, "--no-cache"])
        subprocess.run(ours, cwd=project, capture_output=True, check=False)  # fill the cache
        time_it("unchanged", ours)
        ruff = _ruff()
        if ruff is None:
            for key in ("ruff_changed", "ruff_unchanged"):
                figures[key] = figures[f"{key}_cpu"] = None
        else:
            ruff_command = [ruff, "check", "--exit-zero", "scripts/job.py"]
            time_it("ruff_changed", [*ruff_command, "--no-cache"])
            subprocess.run(ruff_command, cwd=project, capture_output=True, check=False)
            time_it("ruff_unchanged", ruff_command)
    return figures


def report(figures: dict[str, float | None], runs: int) -> None:
    print(f"One-file `check`, median of {runs} runs:{'wall':>19}{'CPU':>11}")
    labels = {
        "changed": "scriptcontract check, file analysed",
        "unchanged": "scriptcontract check, from the cache",
        "ruff_changed": "ruff check --no-cache",
        "ruff_unchanged": "ruff check (its cache)",
        "python_pass": "python -c pass",
    }
    for key, label in labels.items():
        wall, cpu = figures[key], figures[f"{key}_cpu"]
        if wall is None or cpu is None:
            shown = "not run (ruff not installed)"
        else:
            shown = f"{wall:7.1f} ms {cpu:7.1f} ms"
        print(f"  {label:40} {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    report(measure(args.runs), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
