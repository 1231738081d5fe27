# scriptcontract: ignore-file[SCR207, SCR103]
import json
import sys

inputs = json.load(sys.stdin)
try:
    print(json.dumps({"success": True, "n": len(inputs)}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
