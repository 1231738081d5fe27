"""What schema inference costs beside the analysis, on the same 1,000-line script.

    python benchmarks/schema.py [--repeat N]

Prints the median time to analyse the generated 1,000-line script of benchmarks/analysis.py
(every rule selected), to infer its inputs' schema, and to infer its output schemas, with
each inference's share of the analysis (the issue's goal: the inputs' schema adds <= 10%).
"""

from __future__ import annotations

import argparse
import functools
import sys

from benchmarks.analysis import median_ms, thousand_line_script
from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.input_schema import infer_input_schema
from scriptcontract.contract.output_schema import infer_output_schemas
from scriptcontract.contract.settings import LintSettings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs of each measure")
    args = parser.parse_args()
    source = thousand_line_script()
    settings = LintSettings(select=["ALL"])
    analysis = median_ms(functools.partial(analyse, source, settings=settings), args.repeat)
    inputs = median_ms(functools.partial(infer_input_schema, source), args.repeat)
    outputs = median_ms(functools.partial(infer_output_schemas, source), args.repeat)
    keys = len(infer_input_schema(source)["properties"])
    print(f"1,000-line script ({keys} input keys), median of {args.repeat}:")
    print(f"  analysis (every rule)  {analysis:8.1f} ms")
    print(f"  inputs' schema         {inputs:8.1f} ms   {inputs / analysis:6.1%} of the analysis")
    print(f"  output schemas         {outputs:8.1f} ms   {outputs / analysis:6.1%} of the analysis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
