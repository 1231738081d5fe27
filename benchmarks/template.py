"""What the template costs: `scriptcontract new`, and the completion request in the editor.

- `new`: wall time of the whole command (the console script), median of N runs;
- completion: request to answer, p50 and p95, in a blank script (the template is offered) and
  in a 500-line script (the case of every keystroke in a script being written: no item).

    python benchmarks/template.py [--runs 20] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.lsp import Session, percentile, script_of, servers


def new_wall_ms(runs: int) -> float:
    command = shutil.which("scriptcontract", path=str(Path(sys.executable).parent))
    assert command is not None, "scriptcontract is not installed in this environment"
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "scriptcontract.toml").write_text('include = ["scripts/**/*.py"]\n')
        for index in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [command, "new", f"scripts/s{index}.py", "--inputs", "name=Ada", "count=3"],
                cwd=root,
                check=True,
                capture_output=True,
                timeout=60,
            )
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def completion_ms(requests: int) -> dict[str, list[float]]:
    server = servers()[0]
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "scriptcontract.toml").write_text('include = ["scripts/**/*.py"]\n')
        (root / "scripts").mkdir()
        session, _ = await Session.start(server, root)
        texts = {"blank script": "", "500-line script": script_of(500)}
        found: dict[str, list[float]] = {}
        try:
            for name, text in texts.items():
                uri = await session.open(f"scripts/{name.replace(' ', '_')}.py", text)
                await session.wait(uri)
                line = len(text.splitlines()) // 2
                params = {
                    "textDocument": {"uri": uri},
                    "position": {"line": line, "character": 4},
                }
                samples: list[float] = []
                for _ in range(requests):
                    started = time.perf_counter()
                    answer = await session.client.request("textDocument/completion", params)
                    samples.append((time.perf_counter() - started) * 1000)
                assert bool(answer) == (text == ""), (name, answer)
                found[name] = samples
        finally:
            await session.client.stop()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"scriptcontract new: median {new_wall_ms(args.runs):.0f} ms ({args.runs} runs)")
    for name, samples in asyncio.run(completion_ms(args.requests)).items():
        print(
            f"completion, {name}: p50 {percentile(samples, 50):.2f} ms, "
            f"p95 {percentile(samples, 95):.2f} ms ({len(samples)} requests)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
