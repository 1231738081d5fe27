import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw else {}
    except ValueError as exc:
        print(json.dumps({"error": f"bad inputs: {exc}"}))  # expect: SCR205
        sys.exit(1)
    try:
        print(json.dumps({"success": True, "inputs": inputs}))
    except Exception as exc:
        error = {"success": False, "message": str(exc)}  # expect: SCR205
        print(json.dumps(error))
        sys.exit(1)
