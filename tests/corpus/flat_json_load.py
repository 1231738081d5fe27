import json
import sys

try:
    inputs = json.load(sys.stdin)  # expect: SCR103, SCR207
    total = sum(inputs["values"])
    print(json.dumps({"success": True, "total": total}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
    sys.exit(1)
