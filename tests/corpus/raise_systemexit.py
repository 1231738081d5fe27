import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        value = float(inputs.get("value", 0))
    except (TypeError, ValueError) as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        raise SystemExit(1)
    if value < 0:
        print(json.dumps({"success": False, "error": "negative"}))
        raise SystemExit(3)  # expect: SCR201
    print(json.dumps({"success": True, "root": value ** 0.5}))
    raise SystemExit(0)
