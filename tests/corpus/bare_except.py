import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps({"success": True, "n": len(inputs)}))
        sys.exit(0)
    except:  # expect: SCR206
        print(json.dumps({"success": False, "error": "unexpected"}))
        sys.exit(1)
