"""The project's shared runner: reads the inputs, runs a step, prints its JSON result."""
import json
import sys


def _inputs():
    raw = sys.stdin.read()
    return json.loads(raw) if raw.strip() else {}


def run_script(step):
    try:
        result = step(_inputs())
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
    print(json.dumps(result))
