import json
import sys


def build(inputs):
    return {"success": True, "count": len(inputs)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        result = build(inputs)
        print(result)  # expect: SCR105
    except Exception as exc:
        print({"success": False, "error": str(exc)})  # expect: SCR105
        sys.exit(1)
