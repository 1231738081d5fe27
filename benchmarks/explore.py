"""An exploration of 200 inputs of a small script: wall time and time per input.

    python benchmarks/explore.py [--runs N] [--rounds N] [--python PATH] [--jobs N]

A small greeting script that answers every input (its own guards), in a project of its
own, explored with `scriptcontract test --explore --max-runs N --seed S` (the console script
users run; a new seed each round), `--rounds` times. Prints the median wall time of the
whole command (start-up included), the exploration's own time as it reports it, and each per
input. The figure counts only when every round ran all N inputs in the sandbox and found no
failure. Goal (issue 15): a few seconds on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import scriptcontract_command

GOAL_S = 5.0
SCRIPT = '''\
"""Greets someone, as many times as asked, and counts their tags."""
import json
import sys


def main(inputs):
    name = inputs.get("name")
    tags = inputs.get("tags") or []
    count = inputs.get("count", 1)
    text = name.strip().title() if isinstance(name, str) else "Guest"
    times = count if isinstance(count, int) and 0 < count < 10 else 1
    tagged = len(tags) if isinstance(tags, list) else 0
    return {"success": True, "greeting": ", ".join([f"Hello, {text}"] * times), "tags": tagged}


if __name__ == "__main__":
    raw = sys.stdin.read()
    print(json.dumps(main(json.loads(raw) if raw.strip() else {})))
'''


def explore_once(
    root: Path, runs: int, seed: int, python: str, jobs: int | None
) -> dict[str, float]:
    command = [
        *scriptcontract_command(),
        "test",
        "--explore",
        "scripts/score.py",
        "--max-runs",
        str(runs),
        "--seed",
        str(seed),
        "--format",
        "json",
        "--python",
        python,
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    report = json.loads(done.stdout)["scripts"][0]
    assert done.returncode == 0 and not report["failures"], done.stdout[-3000:]
    assert report["runs"] == runs, report
    return {"wall": wall, "exploring": float(report["seconds"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="the script's interpreter")
    parser.add_argument("--jobs", type=int, help="test --jobs (default: its own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scriptcontract-explore-bench-") as folder:
        root = Path(folder) / "project"
        (root / "scripts").mkdir(parents=True)
        (root / "scriptcontract.toml").write_text("")
        (root / "scripts" / "score.py").write_text(SCRIPT)
        rounds = [
            explore_once(root, args.runs, seed, args.python, args.jobs)
            for seed in range(1, args.rounds + 1)
        ]
    wall = statistics.median(r["wall"] for r in rounds)
    exploring = statistics.median(r["exploring"] for r in rounds)
    print(f"{args.runs} inputs explored, {os.cpu_count()} cores, median of {len(rounds)} rounds:")
    every = ", ".join(f"{r['wall']:.2f}" for r in rounds)
    print(
        f"  whole command   {wall:6.2f} s   {wall / args.runs * 1000:6.1f} ms per input   "
        f"(all: {every})"
    )
    print(
        f"  exploring       {exploring:6.2f} s   {exploring / args.runs * 1000:6.1f} ms per input"
    )
    print(f"  goal: a few seconds (<= {GOAL_S:g} s): {'met' if wall <= GOAL_S else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
