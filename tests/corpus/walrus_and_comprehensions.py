import json
import sys

if __name__ == "__main__":
    try:
        if (raw := sys.stdin.read()).strip():
            inputs = json.loads(raw)
        else:
            inputs = {}
        squares = {k: v * v for k, v in inputs.items() if isinstance(v, int)}
        print(json.dumps({"success": True, "squares": squares}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
