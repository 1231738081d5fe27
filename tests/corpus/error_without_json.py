import json
import sys
import traceback

if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw else {}
        print(json.dumps({"success": True, "n": len(inputs)}))
    except Exception:
        traceback.print_exc()
        sys.exit(1)  # expect: SCR204
