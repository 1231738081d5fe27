"""Load and leaks: many runs through the server while edits keep arriving.

One server, one project of 50 scripts and a 500-line script being edited without pause.
First a warm-up (every script runs once), then the server's open descriptors, resident
memory and child processes are taken as the baseline; then `--runs` runs in a row, then
`--rounds` rounds of 50 runs at once, all while the editor keeps changing the big script
and waiting for each version's diagnostics. Printed: the server's usage after each phase
against the baseline, and the latency from `didChange` to `publishDiagnostics` (no
debounce) while all this goes on, p50 and p95 (issue 6's goal: p95 < 20 ms).

    python benchmarks/load.py [--runs 1000] [--rounds 4] [--concurrent 50] [--pad BYTES]

`tests/lsp/test_load.py` drives the same load with smaller counts and asserts the leak
bounds; the latency is a figure here only, never a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.lsp import SETTINGS, Server, Session, percentile, script_of

SCRIPT = """import json
import sys

inputs = json.loads(sys.stdin.read() or "{{}}")
pad = "x" * inputs.get("pad", 0)
print(json.dumps({{"success": True, "script": {index}, "echo": inputs.get("n"), "pad": pad}}))
"""


@dataclass(frozen=True)
class Usage:
    """What the server process holds: descriptors, resident memory, live descendants."""

    fds: int
    rss_mb: float
    descendants: int

    @staticmethod
    def of(pid: int) -> Usage:
        rss = float("nan")
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
        return Usage(len(os.listdir(f"/proc/{pid}/fd")), rss, len(live_descendants(pid)))

    def minus(self, other: Usage) -> str:
        return (
            f"fds {self.fds} ({self.fds - other.fds:+d}), "
            f"RSS {self.rss_mb:.1f} MB ({self.rss_mb - other.rss_mb:+.1f}), "
            f"descendants {self.descendants} ({self.descendants - other.descendants:+d})"
        )


def live_descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_bytes()
        except OSError:
            continue
        fields = raw[raw.rfind(b")") + 2 :].split()
        if fields[0] not in (b"Z", b"X"):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class LoadReport:
    baseline: Usage
    phases: list[tuple[str, Usage]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    runs: int = 0
    failures: list[str] = field(default_factory=list)
    edits_during: int = 0


class Editor:
    """Keeps changing one line of a big script, timing each version's diagnostics."""

    def __init__(self, session: Session, uri: str, text: str) -> None:
        self.session, self.uri = session, uri
        self.lines = text.splitlines()
        self.target = next(i for i, line in enumerate(self.lines) if "# marker" in line)
        self.current = self.lines[self.target]
        self.samples: list[float] = []
        self.stop = asyncio.Event()

    async def keep_editing(self) -> None:
        index = 0
        while not self.stop.is_set():
            new = f"{self.lines[self.target]} {index}"
            took = await self.session.edit(self.uri, self.target, len(self.current), new)
            self.samples.append(took)
            self.current = new
            index += 1


async def run_script(session: Session, index: int, n: int, pad: int = 0) -> str | None:
    """One run through the server, printing `pad` bytes more; what went wrong, if anything."""
    uri = (session.root / "scripts" / f"load_{index}.py").as_uri()
    result = await session.client.request(
        "workspace/executeCommand",
        {
            "command": "scriptcontract.runNow",
            "arguments": [{"uri": uri, "inputs": {"n": n, "pad": pad}, "timeoutMs": 30000}],
        },
        timeout=120,
    )
    expected = {"success": True, "script": index, "echo": n, "pad": "x" * pad}
    if not isinstance(result, dict) or result.get("output") != expected:
        return f"run {n} of load_{index}.py: {str(result)[:300]}"
    return None


# The server's processes between runs: the warm runner and the child it keeps ready.
BETWEEN_RUNS = 2


async def settle(pid: int, baseline_descendants: int, timeout: float = 15.0) -> None:
    """Let run processes that are already dead on their way out be reaped (and the warm
    runner fork the child it keeps ready): at once on a quiet machine, seconds on a busy one."""
    deadline = time.monotonic() + timeout
    while len(live_descendants(pid)) > baseline_descendants and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def drive(
    root: Path,
    runs: int,
    rounds: int,
    concurrent: int,
    progress: Callable[[str], None] = lambda _: None,
    pad: int = 0,
) -> LoadReport:
    """The whole load against a fresh server in `root`; the server is stopped after."""
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "load"\n')
    for index in range(concurrent):
        (root / "scripts" / f"load_{index}.py").write_text(SCRIPT.format(index=index))
    text = script_of(500)
    (root / "scripts" / "bench.py").write_text(text)
    server = Server(
        "scriptcontract",
        [sys.executable, "-m", "scriptcontract", "serve"],
        answers=lambda method, params: (
            [SETTINGS] * len(params["items"]) if method == "workspace/configuration" else None
        ),
        options={"settings": SETTINGS},
    )
    session, _ = await Session.start(server, root)
    pid = session.client.process.pid
    try:
        uri = await session.open("scripts/bench.py", text)
        await session.wait(uri)
        editor = Editor(session, uri, text)
        # Warm-up: every script once, and some edits, so that caches are full.
        for index in range(concurrent):
            await run_script(session, index, -1)
        for _ in range(20):
            await session.edit(uri, editor.target, len(editor.current), editor.current)
        await settle(pid, BETWEEN_RUNS)
        report = LoadReport(Usage.of(pid))
        progress(f"baseline: {report.baseline.minus(report.baseline)}")

        editing = asyncio.ensure_future(editor.keep_editing())
        for n in range(runs):
            problem = await run_script(session, n % concurrent, n, pad)
            if problem:
                report.failures.append(problem)
        report.runs += runs
        await settle(pid, report.baseline.descendants)
        report.phases.append((f"after {runs} runs in a row", Usage.of(pid)))
        progress(f"{report.phases[-1][0]}: {report.phases[-1][1].minus(report.baseline)}")

        for round_number in range(rounds):
            problems = await asyncio.gather(
                *(
                    run_script(session, i, 10_000 * (round_number + 1) + i, pad)
                    for i in range(concurrent)
                )
            )
            report.failures += [p for p in problems if p]
            report.runs += concurrent
            await settle(pid, report.baseline.descendants)
            phase = f"after round {round_number + 1} of {concurrent} at once"
            report.phases.append((phase, Usage.of(pid)))
            progress(f"{phase}: {report.phases[-1][1].minus(report.baseline)}")

        editor.stop.set()
        await editing
        report.latencies_ms = editor.samples
        report.edits_during = len(editor.samples)
        return report
    finally:
        await session.client.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs in a row")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of runs at once")
    parser.add_argument("--concurrent", type=int, default=50, help="runs at once per round")
    parser.add_argument("--pad", type=int, default=0, help="bytes more each run prints")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="scriptcontract-load-") as tmp:
        started = time.perf_counter()
        report = asyncio.run(
            drive(Path(tmp), args.runs, args.rounds, args.concurrent, print, args.pad)
        )
        took = time.perf_counter() - started
    samples = report.latencies_ms
    print(
        f"\n{report.runs} runs in {took:.1f} s, {len(report.failures)} failed; "
        f"{report.edits_during} edits of a 500-line script meanwhile"
    )
    if len(samples) >= 2:
        print(
            f"didChange -> publishDiagnostics under load: p50 {percentile(samples, 50):.1f} ms, "
            f"p95 {percentile(samples, 95):.1f} ms, max {max(samples):.1f} ms "
            f"(median {statistics.median(samples):.1f})"
        )
    for failure in report.failures[:5]:
        print("failed:", failure)
    print(json.dumps({"phases": [(name, vars(usage)) for name, usage in report.phases]}))
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
