"""What inferring a script's inputs costs when its keys are read on many lines.

The inference runs on every hover over an input key, every "Run with inputs" prompt and
every failed run's site; a key read on thousands of lines once made it quadratic (a
50,000-line script: 20 s per hover). Median of N runs for each size:

    python -m benchmarks.many_reads [--runs 3] [--lines 5000 20000 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from scriptcontract.contract.inputs_template import infer_inputs


def script_reading_on_every_line(lines: int) -> str:
    body = [f"    total += inputs.get('k{index % 50}', 0) * {index}" for index in range(lines)]
    head = ["import json", "def main(inputs):", "    total = 0"]
    return "\n".join([*head, *body, "    return total"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, nargs="+", default=[5000, 20000, 50000])
    args = parser.parse_args(argv)
    for lines in args.lines:
        source = script_reading_on_every_line(lines)
        samples: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            template = infer_inputs(source)
            samples.append(time.perf_counter() - started)
        assert len(template.keys) == 50 and len(template.keys[0].reads) == lines // 50
        print(f"{lines:>6} lines, 50 keys: median {statistics.median(samples):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
