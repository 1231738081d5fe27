"""Writes its result to a file and tells nobody."""
import json
import sys

if __name__ == "__main__":  # expect: SCR104
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        with open("output/result.json", "w") as handle:
            json.dump(inputs, handle)
    except OSError as exc:
        print(f"cannot write: {exc}", file=sys.stderr)
