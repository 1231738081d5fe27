"""What matching key patterns in linear time costs, beside Python's `re`.

    python -m benchmarks.key_patterns [--repeat N]

Prints, for the default `input-path-keys` and a project's own pattern, the median time to
tell whether each of 1,000 ordinary keys is a path key (what the executor does for the keys
of a run's inputs, and SCR303 for the keys a script reads), with `key_patterns` and with
`re`; then one key of a million characters (a 10 MiB inputs file holds ten), and the pair
that holds `re` for good (`^(a+)+$`, forty `a` and a `!`), which is answered at once.
"""

from __future__ import annotations

import argparse
import functools
import re
import statistics
import time
from collections.abc import Callable

from scriptcontract.contract.key_patterns import KeyPattern
from scriptcontract.contract.settings import DEFAULT_INPUT_PATH_KEYS

KEYS = [
    f"{stem}_{index}{tail}"
    for index in range(125)
    for stem in ("input", "output", "data", "note")
    for tail in ("_file", "_dir")
]


def all_keys(search: Callable[[str], object]) -> list[object]:
    return [search(key) for key in KEYS]


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs of each measure")
    args = parser.parse_args()
    for name, pattern in (("default", DEFAULT_INPUT_PATH_KEYS), ("own", r"^(?:src|dst)\d*$")):
        ours = KeyPattern(pattern)
        theirs = re.compile(pattern, re.IGNORECASE)
        linear = median_ms(functools.partial(all_keys, ours.search), args.repeat)
        backtracking = median_ms(functools.partial(all_keys, theirs.search), args.repeat)
        print(f"{name:8} 1,000 keys: key_patterns {linear:6.2f} ms, re {backtracking:6.2f} ms")
    long_key = "x_" * 500_000 + "file"
    ours = KeyPattern(DEFAULT_INPUT_PATH_KEYS)
    print(f"one key of 1,000,004 characters: {median_ms(lambda: ours.search(long_key), 3):.0f} ms")
    planted = KeyPattern("^(a+)+$")
    held = median_ms(lambda: planted.search("a" * 40 + "!"), args.repeat)
    print(f"^(a+)+$ against forty a and a !: {held:.3f} ms (re: never ends)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
