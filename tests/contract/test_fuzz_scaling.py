"""The analyser's time grows linearly with its input: size n against size 4n, per shape.

No wall-clock thresholds. Work is counted as the Python calls the analysis makes (the same
count on every run of the same input), and CPU time is compared only as a ratio, the best
of several runs, with a bound far above linear (4) and below quadratic (16): the call count
misses work done inside C (like encoding a long line again for every finding), the CPU
ratio does not.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.positions import LineIndex
from scriptcontract.contract.settings import LintSettings
from tests.contract.test_fuzz_analyser import fuzz_settings

ALL_RULES = LintSettings(select=["ALL"])
MAX_CALLS_RATIO = 5.0
MAX_CPU_RATIO = 8.0
CPU_RUNS = 3

HEADER = "import json, os, subprocess, sys, time\n\ninputs = json.load(sys.stdin)\n"


def _elif_chain(n: int, branch: str) -> str:
    return (
        HEADER
        + "x = inputs['x']\nif x == 0:\n    pass\n"
        + "".join(f"elif x == {i}:\n    {branch.format(i=i)}\n" for i in range(1, n))
    )


def _elif_chain_in_main(n: int) -> str:
    branches = "".join(
        f"    elif x == {i}:\n        print(json.dumps({{'n': {i}}}))\n        return {i}\n"
        for i in range(1, n)
    )
    return (
        HEADER
        + "def main(x):\n    if x == 0:\n        return 0\n"
        + branches
        + "\nif __name__ == '__main__':\n    sys.exit(main(inputs['x']))\n"
    )


def _elif_chain_in_loop(n: int) -> str:
    branches = "".join(
        f"    elif x == {i}:\n        print(json.dumps({{'n': {i}}}))\n" for i in range(1, n)
    )
    return HEADER + "while True:\n    x = inputs['x']\n    if x == 0:\n        break\n" + branches


def _elif_chain_of_helpers(n: int) -> str:
    branches = "".join(
        f"    elif code == {i}:\n        print(json.dumps({{'error': {i}}}))\n        sys.exit(1)\n"
        for i in range(1, n)
    )
    return (
        HEADER
        + "def fail(code):\n    if code == 0:\n        return\n"
        + branches
        + "\nfail(inputs['code'])\nprint(json.dumps({'success': True}))\n"
    )


def _loops(n: int) -> str:
    return HEADER + "".join(
        f"while True:\n    if inputs.get('k{i}'):\n        break\n    time.sleep(1)\n"
        for i in range(n)
    )


def _functions(n: int) -> str:
    return HEADER + "".join(
        f"def step{i}(data):\n    if not data:\n        sys.exit(1)\n    return step{i + 1}(data)\n"
        for i in range(n)
    )


def _handlers(n: int) -> str:
    return HEADER + "".join(
        f"try:\n    v{i} = inputs['k{i}']\nexcept KeyError as exc:\n"
        f"    print(json.dumps({{'success': False, 'error': str(exc)}}))\n    sys.exit(1)\n"
        for i in range(n)
    )


def _calls_out(n: int) -> str:
    return HEADER + "".join(
        f"subprocess.run(inputs['cmd{i}'], shell=True)\nos.system(inputs['c{i}'])\n"
        f"data{i} = open(inputs['path{i}']).read()\n"
        for i in range(n)
    )


def _stray_output(n: int) -> str:
    return HEADER + "".join(f"print('step {i}', inputs.get('k{i}'))\n" for i in range(n))


def _suppressed(n: int) -> str:
    return HEADER + "".join(
        f"print('x{i}')  # scriptcontract: ignore[SCR105, SCR999]\n" for i in range(n)
    )


def _one_long_line(n: int) -> str:
    # Minified code: every statement on one line, with non-ASCII text in it.
    return HEADER + "".join(f"print('é{i}'); " for i in range(n)) + "\n"


def _flat_expression(n: int) -> str:
    return HEADER + "x = [\n" + "".join(f"    inputs.get('k{i}', 'é'),\n" for i in range(n)) + "]\n"


def _repeated_script(n: int) -> str:
    body = (
        "def main_{i}(inputs):\n"
        "    try:\n"
        "        value = inputs['name']\n"
        "    except KeyError:\n"
        "        print(json.dumps({{'success': False, 'error': 'name'}}))\n"
        "        sys.exit(1)\n"
        "    return {{'success': True, 'value': value}}\n"
    )
    return (
        HEADER
        + "".join(body.format(i=i) for i in range(n))
        + "if __name__ == '__main__':\n    print(json.dumps(main_0(inputs)))\n"
    )


# name: (builder, n); n is chosen so that 4n still parses and takes ~0.1 s.
SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "elif chain of exits": (lambda n: _elif_chain(n, "sys.exit({i})"), 600),
    "elif chain of prints": (lambda n: _elif_chain(n, "print(json.dumps({{'n': {i}}}))"), 600),
    "elif chain of loops": (lambda n: _elif_chain(n, "while True: time.sleep({i})"), 600),
    "elif chain in main": (_elif_chain_in_main, 600),
    "elif chain in a loop": (_elif_chain_in_loop, 600),
    "elif chain in a helper that exits": (_elif_chain_of_helpers, 600),
    "elif chain of handled errors": (
        lambda n: _elif_chain(
            n, "try:\n        pass\n    except Exception:\n        print('x{i}'); sys.exit(1)"
        ),
        500,
    ),
    "endless loops": (_loops, 200),
    "functions calling the next": (_functions, 200),
    "handlers that exit": (_handlers, 200),
    "calls out": (_calls_out, 200),
    "stray output": (_stray_output, 300),
    "suppression comments": (_suppressed, 300),
    "one long line": (_one_long_line, 4000),
    "a long flat expression": (_flat_expression, 2500),
    "a script repeated": (_repeated_script, 150),
}


# Code that does not parse (what an editor lints while the user types) must be as cheap.
BROKEN_SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "spaces before a stray character": (
        lambda n: "(x" + " " * (4 * n) + "$  # scriptcontract: ignore[SCR105]\n",
        500,
    ),
    "unterminated strings": (
        lambda n: (
            HEADER + "".join(f"s{i} = 'open  # scriptcontract: ignore[SCR1]\n" for i in range(n))
        ),
        300,
    ),
    "an unclosed bracket before many lines": (
        lambda n: (
            "x = (\n" + "".join(f"    'é{i}' # scriptcontract: ignore[SCR105]\n" for i in range(n))
        ),
        500,
    ),
}


def calls_made(source: str) -> int:
    counted = 0

    def count(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal counted
        if event == "call" or event == "c_call":
            counted += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        analyse(source, settings=ALL_RULES)
    finally:
        sys.setprofile(previous)
    return counted


def cpu_seconds(source: str) -> float:
    best = float("inf")
    for _ in range(CPU_RUNS):
        started = time.process_time()
        analyse(source, settings=ALL_RULES)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("shape", [*SHAPES, *BROKEN_SHAPES])
def test_work_grows_linearly(shape: str) -> None:
    build, n = SHAPES.get(shape) or BROKEN_SHAPES[shape]
    small, large = build(n), build(4 * n)
    for source in (small, large):
        found = analyse(source, settings=ALL_RULES)
        unexpected = ("SCR002",) if shape in BROKEN_SHAPES else ("SCR001", "SCR002")
        assert not [f for f in found if f.code in unexpected], found[:3]
    calls = calls_made(small), calls_made(large)
    assert calls[1] <= MAX_CALLS_RATIO * calls[0], f"{shape}: {calls[0]} -> {calls[1]} calls"
    cpu = cpu_seconds(small), cpu_seconds(large)
    assert cpu[1] <= MAX_CPU_RATIO * max(cpu[0], 1e-3), f"{shape}: {cpu[0]:.3f}s -> {cpu[1]:.3f}s"


# The long-line path of LineIndex must agree with the plain conversion it replaces.
LINE_TEXT = st.text(
    alphabet=st.sampled_from(["a", " ", "é", "€", "😀", "\u2028", "\x0c"]), min_size=500
)


def _plain_char_of(text: str, byte_col: int) -> int:
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


@fuzz_settings(40)
@given(LINE_TEXT, st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=20))
def test_long_lines_convert_byte_columns_like_short_ones(text: str, columns: list[int]) -> None:
    index = LineIndex("x = 1\n" + text + "\n")
    for byte_col in columns:
        assert index.char_of(1, byte_col) == _plain_char_of(text, byte_col)
