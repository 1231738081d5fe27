import json
import sys

inputs = json.loads(sys.stdin.read() or "{}")
match inputs.get("operation"):
    case _:
        print(json.dumps({"success": True}))  # expect: SCR001
