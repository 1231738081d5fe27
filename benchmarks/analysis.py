"""Analysis speed: one 1,000-line script, and `check` over the CPython standard library beside
the parse floor, flake8 and bandit on the same files, measured in one run.

    python benchmarks/analysis.py [--sample N] [--repeat N] [--stdlib-repeat N] [--skip-peers]
                                  [--scaling]

Prints:
- the median time to analyse a generated 1,000-line script, beside `ast.parse` of it, from
  scratch (`check`, a document opened) and after an edit as the language server analyses it
  (an `IncrementalParser` reparses the statements around the edit): a character typed into a
  line, and a line added or removed (the statements below move);
- CPU time (user + system of the command and its worker processes) and wall time of
  `scriptcontract check` over the standard library (every module treated as a script, every
  rule selected, the project's own modules followed, JSON output, an empty cache), of the
  floor (a process that reads and `ast.parse`s the same files on all cores), of `flake8 -j N`
  and of `bandit` on the same files, each with its ratio to the floor. Each command runs
  `--stdlib-repeat` times (3) and its best CPU and best wall time are kept: on a shared
  machine, CPU time varies less than wall time, which other work stretches. The goal (issue
  12): `check` within 1.5x the floor's CPU time.
flake8 and bandit are found on PATH (`pip install flake8 bandit`); without them, their rows say
so. Every tool gets the same explicit list of files. Every command includes its own
interpreter start-up, as a user would see it.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib.util
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.incremental import IncrementalParser
from scriptcontract.contract.settings import LintSettings

# `check` over the standard library: at most this many times the floor's CPU time (issue 12).
STDLIB_GOAL = 1.5

BLOCK = '''
def step_{n}(inputs, log=None):
    """Step {n}: a realistic mix of what workflow scripts do."""
    path = inputs.get("input_file_{n}", "data/in_{n}.txt")
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                rows.append(line.strip().split(","))
    except FileNotFoundError as exc:
        print(f"missing {{exc}}", file=sys.stderr)
        return {{"success": False, "error": str(exc)}}
    total = sum(len(row) for row in rows if row and row[0] != "#")
    if total > {n} * 10:
        listing = subprocess.run(["wc", "-l", path], capture_output=True, timeout=10)
        total += len(listing.stdout)
    mapping = {{key: value for key, value in zip(rows[0] if rows else [], range(total))}}
    while total > 1000:
        total //= 2
        if total % 7 == 0:
            break
    return {{"success": True, "step": {n}, "total": total, "keys": sorted(mapping)}}
'''

HEADER = '''#!/usr/bin/env python3
"""A generated 1,000-line workflow script."""
import json
import subprocess
import sys
'''

FOOTER = """

def main(inputs):
    results = [step(inputs) for step in STEPS]
    return {"success": all(r["success"] for r in results), "results": results}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(main(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
"""


def thousand_line_script() -> str:
    blocks: list[str] = []
    n = 0
    while True:
        body = HEADER + "".join(blocks)
        if body.count("\n") >= 1000 - 40:
            break
        blocks.append(BLOCK.format(n=n))
        n += 1
    steps = "\n\nSTEPS = [" + ", ".join(f"step_{i}" for i in range(n)) + "]\n"
    source = HEADER + "".join(blocks) + steps + FOOTER
    lines = source.splitlines()
    return "\n".join(lines[:1000]) + "\n" if len(lines) > 1000 else source


# Shapes that once made a rule quadratic: each must stay roughly linear in its size.
SHAPES: dict[str, Callable[[int], str]] = {
    "exits": lambda n: "import sys\n" + "if a:\n    sys.exit(1)\n" * n,
    "json prints": lambda n: "import json\n" + "print(json.dumps(1))\n" * n,
    "prints in a loop": lambda n: "import json\nfor i in x:\n" + "    print(json.dumps(1))\n" * n,
    "try blocks": lambda n: (
        "import sys, json\n" + "try:\n    sys.exit(0)\nexcept:\n    print(json.dumps(1))\n" * n
    ),
    "helper chain": lambda n: (
        "import json\n"
        + "".join(f"def f{i}():\n    f{i + 1}()\n    print(json.dumps(1))\n" for i in range(n))
    ),
}


def scaling() -> None:
    settings = LintSettings(select=["ALL"])
    print("Scaling (analysis time at n and 4n statements; linear is 4x):")
    for name, make in SHAPES.items():
        small, large = make(1000), make(4000)
        t_small = median_ms(functools.partial(analyse, small, settings=settings), 3)
        t_large = median_ms(functools.partial(analyse, large, settings=settings), 3)
        print(f"  {name:18} {t_small:8.1f} ms -> {t_large:8.1f} ms   {t_large / t_small:5.1f}x")
    print()


def median_ms(action: Callable[[], object], repeat: int) -> float:

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def edit_ms(source: str, settings: LintSettings, repeat: int, *, new_line: bool) -> float:
    """Median time to re-analyse `source` after one edit at a random line, as the server does.

    Edits alternate between making a change and taking it back, at a new place each time, so
    that the text stays the same size and every analysis has an edit to catch up with.
    """
    parser = IncrementalParser()
    analyse(source, settings=settings, parser=parser)
    lines = source.split("\n")
    rng = random.Random(6)
    times = []
    for _ in range(repeat):
        at = rng.randrange(1, len(lines) - 1)
        if new_line:
            edited = [*lines[:at], "", *lines[at:]]
        else:  # a letter typed after the line's first quote, or at its end
            quote = lines[at].find('"') + 1
            line = lines[at][:quote] + "x" + lines[at][quote:] if quote else lines[at] + " "
            edited = [*lines[:at], line, *lines[at + 1 :]]
        for text in ("\n".join(edited), source):
            start = time.perf_counter()
            analyse(text, settings=settings, parser=parser)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def stdlib_files(sample: int) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p
        for p in stdlib.rglob("*.py")
        if "site-packages" not in p.parts and "__pycache__" not in p.parts
    )
    return files[:: max(1, len(files) // sample)] if sample else files


FLOOR = textwrap.dedent(
    """
    import ast, sys, warnings
    from multiprocessing import Pool
    warnings.simplefilter("ignore")

    def parse(path):
        try:
            with open(path, "rb") as handle:
                ast.parse(handle.read())
        except (SyntaxError, ValueError):
            pass

    if __name__ == "__main__":
        files = sys.stdin.read().split("\\n")
        with Pool(int(sys.argv[1])) as pool:
            pool.map(parse, files, chunksize=16)
    """
)


class Timing(NamedTuple):
    """One command's best wall time and best CPU time (its own and its children's)."""

    wall: float
    cpu: float


def timed(
    command: list[str],
    stdin: str | None = None,
    cwd: Path | None = None,
    repeat: int = 1,
    before: Callable[[], object] | None = None,
) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command,
            input=stdin,
            text=True,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
    return Timing(min(walls), min(cpus))


def measure(sample: int, repeat: int, skip_peers: bool, stdlib_repeat: int = 3) -> dict[str, Any]:
    """Every figure of this benchmark: milliseconds for one script, seconds for the stdlib."""
    source = thousand_line_script()
    settings = LintSettings(select=["ALL"])
    analyse(source, settings=settings)
    figures: dict[str, Any] = {
        "lines": source.count("\n"),
        "repeat": repeat,
        "parse_ms": median_ms(lambda: ast.parse(source), repeat),
        "analyse_ms": median_ms(lambda: analyse(source, settings=settings), repeat),
        "edit_ms": edit_ms(source, settings, repeat, new_line=False),
        "edit_line_ms": edit_ms(source, settings, repeat, new_line=True),
    }
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    files = stdlib_files(sample)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "scriptcontract.toml").write_text(
            'include = ["**/*.py"]\ntarget-version = "3.11"\nselect = ["ALL"]\n'
        )
        (project / "lib").symlink_to(stdlib)
        linked = [str(project / "lib" / f.relative_to(stdlib)) for f in files]
        listing = "\n".join(linked)
        floor_script = project / "floor.py"
        floor_script.write_text(FLOOR)
        floor_command = [sys.executable, str(floor_script), str(jobs)]
        cache = project / ".scriptcontract_cache"
        check = [sys.executable, "-m", "scriptcontract", "check", "--format", "json", "--exit-zero"]
        # The floor and `check` take turns, so that a change in the machine's load touches
        # both. `check` starts from an empty cache (every file analysed, the cache written).
        floor_runs, check_runs = [], []
        for _ in range(stdlib_repeat):
            floor_runs.append(timed(floor_command, listing))
            check_runs.append(
                timed(
                    check + linked,
                    cwd=project,
                    before=lambda: shutil.rmtree(cache, ignore_errors=True),
                )
            )
        times: dict[str, Timing | None] = {
            "floor": _best(floor_runs),
            "check": _best(check_runs),
            # Nothing changed since the last run: every file comes from the cache.
            "check_again": timed(check + linked, cwd=project, repeat=stdlib_repeat),
        }
        for name, options in (
            ("flake8", [f"--jobs={jobs}", "--exit-zero"]),
            ("bandit", ["-q", "--exit-zero", "-f", "json"]),
        ):
            if skip_peers or importlib.util.find_spec(name) is None:
                times[name] = None
            else:
                times[name] = timed([sys.executable, "-m", name, *options, *linked], cwd=project)
    figures.update(
        files=len(files),
        jobs=jobs,
        stdlib_repeat=stdlib_repeat,
        wall_s={key: t.wall if t else None for key, t in times.items()},
        cpu_s={key: t.cpu if t else None for key, t in times.items()},
    )
    return figures


def _best(runs: list[Timing]) -> Timing:
    return Timing(min(t.wall for t in runs), min(t.cpu for t in runs))


def report(figures: dict[str, Any]) -> None:
    parse_ms, analyse_ms = figures["parse_ms"], figures["analyse_ms"]
    print(f"1,000-line script ({figures['lines']} lines), median of {figures['repeat']} runs:")
    print(f"  ast.parse            {parse_ms:8.2f} ms")
    print(f"  analyse (all rules)  {analyse_ms:8.2f} ms   {analyse_ms / parse_ms:5.2f}x parse")
    for key, label in (("edit_ms", "a character typed"), ("edit_line_ms", "a line added")):
        ms = figures[key]
        print(f"  re-analyse, {label:18} {ms:6.2f} ms   {ms / parse_ms:5.2f}x parse")
    print()
    wall, cpu = figures["wall_s"], figures["cpu_s"]
    print(
        f"Standard library: {figures['files']} files on {figures['jobs']} cores, "
        f"best of {figures['stdlib_repeat']} runs (goal: check <= {STDLIB_GOAL}x the floor's "
        "CPU time):"
    )
    print(f"  {'':28} {'CPU':>8}   {'ratio':>6}   {'wall':>8}   {'ratio':>6}")
    labels = {
        "floor": "floor: read + ast.parse",
        "check": "scriptcontract check",
        "check_again": "check again (from the cache)",
        "flake8": "flake8",
        "bandit": "bandit",
    }
    for key, label in labels.items():
        if wall[key] is None:
            print(f"  {label} (not run)")
            continue
        cpu_ratio = cpu[key] / (cpu["floor"] or 1.0)
        wall_ratio = wall[key] / (wall["floor"] or 1.0)
        print(
            f"  {label:28} {cpu[key]:6.2f} s   {cpu_ratio:5.2f}x   "
            f"{wall[key]:6.2f} s   {wall_ratio:5.2f}x"
        )
    check_ratio = cpu["check"] / (cpu["floor"] or 1.0)
    met = "met" if check_ratio <= STDLIB_GOAL else "NOT met"
    print(f"  check / floor, CPU time: {check_ratio:.2f}x, goal <= {STDLIB_GOAL}x: {met}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="check about N stdlib files only")
    parser.add_argument("--repeat", type=int, default=50, help="runs of the 1,000-line script")
    parser.add_argument(
        "--stdlib-repeat", type=int, default=3, help="runs of each stdlib command (best kept)"
    )
    parser.add_argument("--skip-peers", action="store_true", help="do not run flake8 and bandit")
    parser.add_argument("--scaling", action="store_true", help="also time pathological shapes")
    args = parser.parse_args()
    if args.scaling:
        scaling()
    report(measure(args.sample, args.repeat, args.skip_peers, args.stdlib_repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
