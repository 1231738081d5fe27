"""What checking an inputs file costs in the editor, on the 1,000-line script.

    python benchmarks/inputs_files.py [--repeat N] [--cases N]

Prints the median time to work out the script's schema for the editor (the inferred schema,
where each key is read, whether every read is seen: done once per edit of the script; and
the same for the script reading its inputs into a model, which one inference serves too), and
then, per edit of the JSON file, to read and check a sidecar inputs file and a cases file of
N cases, and to answer a key completion in it.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

from benchmarks.analysis import median_ms, thousand_line_script
from benchmarks.schema import with_model
from scriptcontract.json_inputs.keys import complete_key
from scriptcontract.json_inputs.outline import read
from scriptcontract.json_inputs.problems import file_problems
from scriptcontract.json_inputs.script_schema import script_schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of each measure")
    parser.add_argument("--cases", type=int, default=200, help="cases in the cases file")
    args = parser.parse_args()
    source = thousand_line_script()
    script = Path("scripts/big.py")
    schema_ms = median_ms(functools.partial(script_schema, script, source, None), args.repeat)
    model_ms = median_ms(
        functools.partial(script_schema, script, with_model(source), None), args.repeat
    )
    schema = script_schema(script, source, None)
    keys = list(schema.schema["properties"])
    inputs = {key: "x" for key in keys}
    sidecar = json.dumps(inputs, indent=2)
    cases = json.dumps(
        {"cases": [{"name": f"case {n}", "inputs": inputs} for n in range(args.cases)]}, indent=2
    )

    def check(kind: str, text: str) -> None:
        file_problems(kind, read(text), schema)  # type: ignore[arg-type]

    sidecar_ms = median_ms(functools.partial(check, "sidecar", sidecar), args.repeat)
    cases_ms = median_ms(functools.partial(check, "cases", cases), args.repeat)
    typing = sidecar[:-2] + ', "'
    completion_ms = median_ms(
        functools.partial(complete_key, "sidecar", read(typing), schema, len(typing)), args.repeat
    )
    print(f"1,000-line script ({len(keys)} input keys), median of {args.repeat}:")
    print(f"  the script's schema for the editor      {schema_ms:8.1f} ms")
    print(f"  same, the script declaring a model      {model_ms:8.1f} ms")
    print(f"  check the inputs file ({len(sidecar):,} chars)      {sidecar_ms:8.1f} ms")
    print(f"  check {args.cases} cases ({len(cases):,} chars)    {cases_ms:8.1f} ms")
    print(f"  complete a key in the inputs file       {completion_ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
