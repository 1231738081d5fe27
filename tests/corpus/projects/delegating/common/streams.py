"""Stream helpers of the project: whatever they do with errors, the analysis may follow."""
import json
import sys


def load(stream):
    try:
        return json.loads(stream.read() or "{}")
    except ValueError as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
