import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw else {}
        print(json.dumps({"success": True, "keys": list(inputs)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(0)  # expect: SCR203
