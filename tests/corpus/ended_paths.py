"""Error objects on paths that have already ended do not reach the final exit 0.

Each error is written in a branch that then exits 1, raises or returns; the exit 0 at the
end is reached only after the success object.
"""
import json
import sys


def divide(inputs):
    try:
        value = 10 / inputs.get("divisor", 1)
    except ZeroDivisionError as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
    if value < 0:
        print(json.dumps({"success": False, "error": "negative"}))
        raise SystemExit(1)
    return value


def fetch(inputs):
    for attempt in range(3):
        try:
            return inputs["values"][attempt]
        except IndexError as exc:
            print(json.dumps({"success": False, "error": str(exc)}))
            raise
    sys.exit(0)


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    if "divisor" not in inputs:
        print(json.dumps({"success": False, "error": "divisor is required"}))
        sys.exit(1)
    print(json.dumps({"success": True, "value": divide(inputs), "first": fetch(inputs)}))
    sys.exit(0)
