"""What schema inference costs beside the analysis, on the same 1,000-line script.

    python -m benchmarks.schema [--repeat N]

Prints the median time to analyse the generated 1,000-line script of benchmarks/analysis.py
(every rule selected), to infer its inputs' schema from the tree the analysis parsed and
its source (what SCR107 infers, which it does only for a script that declares a schema, to
compare the two) and from the source alone (a parse of its own, as `scriptcontract schema`
does), and to infer its output schemas, each with its share of the analysis; then to
analyse the same script declaring a model of its inputs in its code, which the analysis
finds and SCR107 compares the inference with: what the inference adds where it runs. The
issue's goal: the inputs' schema adds <= 10% to the analysis. Each measure infers from
scratch (nothing is kept between calls). The cyclic garbage collector is paused for every
measure, as `analyse` pauses it.

Where the time goes: the inference reads only the nodes whose source range holds a name it
follows (the inputs, the variables bound to parts of them, stdin), so its cost grows with
the uses of the inputs, not with the script's length; on this script each of the 44 steps
uses them a few times. Where the analysis runs it (SCR107, for a script that declares a
schema), it runs it once: a model declared in the code is found with the same inference.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gc
import re
import sys

from benchmarks.analysis import median_ms, thousand_line_script
from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.input_schema import infer_input_schema, input_schema_of
from scriptcontract.contract.output_schema import infer_output_schemas
from scriptcontract.contract.settings import LintSettings

GOAL = 0.10  # of the analysis's time (issue 15)
MODEL = """from typing import TypedDict


class Inputs(TypedDict):
    input_file_0: str


"""


def with_model(source: str) -> str:
    """`source` (the 1,000-line script) with a model its inputs are read into."""
    annotated = source.replace("    inputs = json.loads(", "    inputs: Inputs = json.loads(")
    if annotated == source:
        raise SystemExit("the 1,000-line script no longer reads its inputs as expected")
    first = annotated.index("def step_0")
    return annotated[:first] + MODEL + annotated[first:]


def read_in_main(source: str) -> str:
    """`source` (the 1,000-line script) with its inputs read in one place: `main` reads a list
    of files and passes each step its own, as a script that validates its inputs up front
    does. The inference's cost grows with the reads of the inputs, not with the lines."""
    steps, taking = re.subn(r"def step_(\d+)\(inputs, ", r"def step_\1(path, ", source)
    steps, reading = re.subn(r'    path = inputs\.get\("input_file_\d+", "[^"]*"\)\n', "", steps)
    once = steps.replace(
        "results = [step(inputs) for step in STEPS]",
        'results = [step(name) for step, name in zip(STEPS, inputs.get("files", []))]',
    )
    if not taking or taking != reading or once == steps:
        raise SystemExit("the 1,000-line script no longer reads its inputs as expected")
    return once


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs of each measure")
    args = parser.parse_args()
    source = thousand_line_script()
    tree = ast.parse(source)
    settings = LintSettings(select=["ALL"])
    gc.disable()
    try:
        analysis = median_ms(functools.partial(analyse, source, settings=settings), args.repeat)
        on_tree = median_ms(functools.partial(input_schema_of, tree, source), args.repeat)
        alone = median_ms(functools.partial(infer_input_schema, source), args.repeat)
        outputs = median_ms(functools.partial(infer_output_schemas, source), args.repeat)
        modelled = median_ms(
            functools.partial(analyse, with_model(source), settings=settings), args.repeat
        )
        once = read_in_main(source)
        once_tree = ast.parse(once)
        once_analysis = median_ms(functools.partial(analyse, once, settings=settings), args.repeat)
        once_schema = median_ms(functools.partial(input_schema_of, once_tree, once), args.repeat)
    finally:
        gc.enable()
    keys = len(input_schema_of(tree, source)["properties"])
    ratio = on_tree / analysis
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"1,000-line script ({keys} input keys), median of {args.repeat}:")
    print(f"  analysis (every rule)            {analysis:8.1f} ms")
    print(f"  inputs' schema, analysis's tree  {on_tree:8.1f} ms   {ratio:6.1%} of the analysis")
    print(f"  inputs' schema, own parse        {alone:8.1f} ms   {alone / analysis:6.1%}")
    print(f"  output schemas, own parse        {outputs:8.1f} ms   {outputs / analysis:6.1%}")
    added = (modelled - analysis) / analysis
    print(f"  analysis, declaring a model      {modelled:8.1f} ms   {added:+6.1%}")
    print("the same script reading its inputs once, in main (one key):")
    print(f"  analysis (every rule)            {once_analysis:8.1f} ms")
    print(
        f"  inputs' schema, analysis's tree  {once_schema:8.1f} ms   "
        f"{once_schema / once_analysis:6.1%} of the analysis"
    )
    print(f"goal: the inputs' schema adds <= {GOAL:.0%} to the analysis: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
