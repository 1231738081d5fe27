import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps({"success": True, "started": True}))
        print(json.dumps({"success": True, "count": len(inputs)}))  # expect: SCR106
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
