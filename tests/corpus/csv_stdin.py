"""Reads CSV from stdin: the executor sends JSON."""
import csv
import json
import sys

if __name__ == "__main__":
    try:
        rows = list(csv.reader(sys.stdin))  # expect: SCR102
        print(json.dumps({"success": True, "rows": len(rows)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
