#!/usr/bin/env python3
"""Upper-cases a text file line by line and writes the result inside the project."""
import json
import sys
from pathlib import Path


def process_file(inputs):
    input_file = Path(inputs["input_file"])
    output_file = Path(inputs.get("output_file", "output/processed.txt"))
    if not input_file.is_file():
        raise FileNotFoundError(f"input_file not found: {input_file}")
    output_file.parent.mkdir(parents=True, exist_ok=True)
    lines = 0
    # Line by line: a large file never sits in memory whole.
    with input_file.open(encoding="utf-8") as source, output_file.open("w", encoding="utf-8") as target:
        for line in source:
            target.write(line.upper())
            lines += 1
    print(f"processed {lines} lines", file=sys.stderr)
    return {"success": True, "lines": lines, "output_file": str(output_file)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(process_file(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
