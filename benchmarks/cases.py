"""`scriptcontract test` on 200 cases beside what users write by hand today, in one run.

    python benchmarks/cases.py [--cases N] [--rounds N] [--python PATH] [--jobs N]

A small script and N recorded cases (200 by default) in a project of their own, run two ways,
alternately, `--rounds` times each (wall time of the whole command, median):

- `scriptcontract test` (the console script users run): every case in the sandbox, on warm
  runners, several at a time;
- the reference: a pytest module that runs the same cases one by one with
  `subprocess.run([python, script])` and compares the JSON (what a user writes by hand).

Both use the same interpreter for the script (`--python`, default this one). The figure is
only counted when every case passed both ways, and every case of `scriptcontract test`
reports the same sandbox protections in force as a plain `scriptcontract run` does here.
Goal (issue 14): at most 0.25x the reference's wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import scriptcontract_command

GOAL_RATIO = 0.25
SCRIPT = '''\
"""Scores an order: the total, the discount it earns, and a label."""
import json
import sys


def score(inputs):
    items = inputs.get("items", [])
    total = sum(item["price"] * item.get("quantity", 1) for item in items)
    discount = 0.1 if total >= 100 else 0.0
    return {
        "success": True,
        "total": round(total, 2),
        "discount": discount,
        "label": inputs.get("customer", "guest").title(),
    }


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(score(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
'''
PYTEST_MODULE = '''\
"""The same cases as a user writes them by hand today: one subprocess per case."""
import json
import subprocess

import pytest

PYTHON = {python!r}
SCRIPT = {script!r}
CASES = json.load(open({cases!r}))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    done = subprocess.run(
        [PYTHON, SCRIPT],
        input=json.dumps(case["inputs"]),
        capture_output=True,
        text=True,
        cwd={root!r},
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == case["expect"]["output"]
'''


def expected(inputs: dict[str, Any]) -> dict[str, Any]:
    """What the script answers: the cases are written from this, not from its runs."""
    items = inputs["items"]
    total = sum(item["price"] * item.get("quantity", 1) for item in items)
    return {
        "success": True,
        "total": round(total, 2),
        "discount": 0.1 if total >= 100 else 0.0,
        "label": str(inputs["customer"]).title(),
    }


def make_project(root: Path, count: int, python: str) -> Path:
    (root / "scripts").mkdir(parents=True)
    (root / "scriptcontract.toml").write_text("")
    (root / "scripts" / "score.py").write_text(SCRIPT)
    cases = []
    for number in range(count):
        inputs: dict[str, Any] = {
            "customer": f"customer {number}",
            "items": [
                {"price": (number % 17) + 0.5, "quantity": 1 + number % 3},
                {"price": (number * 7) % 50},
            ],
        }
        cases.append(
            {"name": f"order {number}", "inputs": inputs, "expect": {"output": expected(inputs)}}
        )
    cases_file = root / "scripts" / "score.cases.json"
    cases_file.write_text(json.dumps({"cases": cases}, indent=2) + "\n")
    module = root / "test_score_by_hand.py"
    module.write_text(
        PYTEST_MODULE.format(
            python=python,
            script=str(root / "scripts" / "score.py"),
            cases=str(cases_file),
            root=str(root),
        )
    )
    return module


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - start, done


def sandbox_of_a_run(root: Path, python: str) -> list[str]:
    done = subprocess.run(
        [
            *scriptcontract_command(),
            "run",
            "scripts/score.py",
            "--json",
            "--python",
            python,
            "--inputs",
            json.dumps({"customer": "x", "items": []}),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    enforced: list[str] = json.loads(done.stdout)["sandbox"]["enforced"]
    return sorted(enforced)


def measure(count: int, rounds: int, python: str, jobs: int | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="scriptcontract-cases-bench-") as folder:
        root = Path(folder) / "project"
        module = make_project(root, count, python)
        ours = [*scriptcontract_command(), "test", "--format", "json", "--python", python]
        if jobs:
            ours += ["--jobs", str(jobs)]
        reference = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)]
        expected_sandbox = sandbox_of_a_run(root, python)
        times: dict[str, list[float]] = {"test": [], "pytest": []}
        sandboxed = True
        for _ in range(rounds):
            seconds, done = timed(ours, root)
            report = json.loads(done.stdout)
            cases = [case for file in report["files"] for case in file["cases"]]
            assert done.returncode == 0 and len(cases) == count, done.stdout[-2000:]
            sandboxed &= all(sorted(case["sandbox"]) == expected_sandbox for case in cases)
            times["test"].append(seconds)
            seconds, done = timed(reference, root)
            assert done.returncode == 0 and f"{count} passed" in done.stdout, done.stdout[-2000:]
            times["pytest"].append(seconds)
    return {
        "cases": count,
        "test_s": statistics.median(times["test"]),
        "pytest_s": statistics.median(times["pytest"]),
        "times": times,
        "sandbox": expected_sandbox,
        "sandboxed": sandboxed and bool(expected_sandbox),
    }


def report(figures: dict[str, object]) -> None:
    test_s, pytest_s = float(figures["test_s"]), float(figures["pytest_s"])  # type: ignore[arg-type]
    times = figures["times"]
    assert isinstance(times, dict)
    print(f"{figures['cases']} cases, median of {len(times['test'])} alternating rounds:")
    print(
        f"  scriptcontract test          {test_s:7.2f} s   (all: "
        f"{', '.join(f'{t:.2f}' for t in times['test'])})"
    )
    print(
        f"  pytest + subprocess.run      {pytest_s:7.2f} s   (all: "
        f"{', '.join(f'{t:.2f}' for t in times['pytest'])})"
    )
    ratio = test_s / pytest_s
    met = ratio <= GOAL_RATIO and bool(figures["sandboxed"])
    print(f"  ratio {ratio:.2f}x (goal <= {GOAL_RATIO}x): {'met' if met else 'NOT met'}")
    print(
        f"  every case sandboxed as a run is ({', '.join(figures['sandbox'])}): "  # type: ignore[arg-type]
        f"{'yes' if figures['sandboxed'] else 'NO'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="the scripts' interpreter")
    parser.add_argument("--jobs", type=int, help="scriptcontract test --jobs (default: its own)")
    args = parser.parse_args()
    report(measure(args.cases, args.rounds, args.python, args.jobs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
