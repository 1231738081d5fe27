"""Copies rows: its schema lists every key the code reads; `options` is left open."""
import csv
import json
import sys


def main():
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        options = inputs.get("options") or {}
        with open(inputs["input_file"], newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter=options.get("delimiter", ",")))
        limit = int(inputs.get("limit", len(rows)))
        print(json.dumps({"success": True, "rows": rows[:limit]}))
    except (OSError, KeyError, ValueError) as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
