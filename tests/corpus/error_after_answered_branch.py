"""A lookup that answers from its cache on one branch and returns there: the error path
below it never follows that write, so it still leaves the caller with no JSON error object
(SCR204). A later branch that writes a note and carries on may have written, and stays
silent."""
# corpus-inputs: {}
import json
import sys

CACHE = {"alpha": 1}


def main() -> int:
    inputs = json.loads(sys.stdin.read() or "{}")
    key = str(inputs.get("key", ""))
    if key in CACHE:
        print(json.dumps({"success": True, "value": CACHE[key], "cached": True}))
        return 0
    elif not key:
        print(json.dumps({"success": False, "error": "key is required"}))
        return 1
    try:
        value = len(key) * int(inputs.get("factor", 1))
    except ValueError as exc:
        print(f"bad factor: {exc}", file=sys.stderr)
        return 1  # expect: SCR204
    if inputs.get("verbose"):
        print(json.dumps({"note": "computed"}))
    if value > 100:
        return 1
    print(json.dumps({"success": True, "value": value}))  # expect: SCR106
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
