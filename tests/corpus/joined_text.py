"""A summary joined from lines of text and printed before the result."""
import json
import sys


def summary(inputs):
    return "\n".join(f"- {key}: {value}" for key, value in inputs.items())


if __name__ == "__main__":
    try:
        raw = sys.stdin.read()
        inputs = json.loads(raw) if raw.strip() else {}
        print(summary(inputs))  # expect: SCR105
        print(json.dumps({"success": True, "keys": sorted(inputs)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
