# corpus-settings: {"error-keys": ["ok", "message"]}
"""A project whose error objects are {"ok": false, "message": ...}."""
import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw else {}
        print(json.dumps({"ok": True, "count": len(inputs)}))
    except ValueError as exc:
        print(json.dumps({"ok": False, "message": str(exc)}))
        sys.exit(1)
    except Exception as exc:
        print(json.dumps({"ok": False, "error": str(exc)}))  # expect: SCR205
        sys.exit(1)
