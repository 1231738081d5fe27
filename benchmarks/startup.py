"""`scriptcontract check` of one file, as an on-save hook or pre-commit runs it, beside ruff.

    python benchmarks/startup.py [--runs N]

Wall time of the whole command (the console script users run), median of N runs, for one
script of the examples in a project of its own:

- changed: the file is analysed (`--no-cache`, as after every edit);
- unchanged: the file comes from the cache (the second run on an unchanged file);
- ruff check on the same file, without and with its cache, and `python -c pass`.

Goal (issue 13): a one-file check <= 60 ms wall.
"""

from __future__ import annotations

import argparse
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


def _ms(command: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


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
        figures: dict[str, float | None] = {
            "python_pass": _ms([sys.executable, "-c", "pass"], project, runs),
            "changed": _ms([*ours, "--no-cache"], project, runs),
        }
        subprocess.run(ours, cwd=project, capture_output=True, check=False)  # fill the cache
        figures["unchanged"] = _ms(ours, project, runs)
        ruff = _ruff()
        if ruff is None:
            figures["ruff_changed"] = figures["ruff_unchanged"] = None
        else:
            ruff_command = [ruff, "check", "--exit-zero", "scripts/job.py"]
            figures["ruff_changed"] = _ms([*ruff_command, "--no-cache"], project, runs)
            subprocess.run(ruff_command, cwd=project, capture_output=True, check=False)
            figures["ruff_unchanged"] = _ms(ruff_command, project, runs)
    return figures


def report(figures: dict[str, float | None], runs: int) -> None:
    print(f"One-file `check` wall time, median of {runs} runs:")
    labels = {
        "changed": "scriptcontract check, file analysed",
        "unchanged": "scriptcontract check, from the cache",
        "ruff_changed": "ruff check --no-cache",
        "ruff_unchanged": "ruff check (its cache)",
        "python_pass": "python -c pass",
    }
    for key, label in labels.items():
        value = figures[key]
        shown = "not run (ruff not installed)" if value is None else f"{value:7.1f} ms"
        print(f"  {label:40} {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    report(measure(args.runs), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
