"""A status line made by a helper module and printed to stdout before the result."""
import json
import sys

from text_helpers import result_of, status_line

if __name__ == "__main__":
    try:
        raw = sys.stdin.read()
        inputs = json.loads(raw) if raw.strip() else {}
        print(status_line(inputs))  # expect: SCR105
        print(json.dumps(result_of(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
