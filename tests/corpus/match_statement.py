# corpus-settings: {"target-version": "3.10"}
import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        match inputs.get("operation"):
            case "count":
                result = len(inputs.get("items", []))
            case _:
                raise ValueError("unknown operation")
        print(json.dumps({"success": True, "result": result}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
