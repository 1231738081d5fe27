"""A result object printed field by field: one JSON document, written in parts.

None of these lines is stray text, and moving any of them to stderr would break the
document (the fix of the subprocess call below must leave them as they are).
"""
import json
import subprocess
import sys


def report(name, sizes):
    print("{")
    print(f'  "success": true,')
    print(f'  "name": {json.dumps(name)},')
    print(f'  "count": {len(sizes)},')
    print(f'  "largest": {max(sizes, default=0)}')
    print("}")


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    subprocess.run(["true"], check=False)  # expect: SCR401
    try:
        report(inputs.get("name", "data"), [len(str(v)) for v in inputs.get("values", [])])
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
