"""Non-ASCII text before a finding on the same line: columns count code points."""
import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        greeting = "héllo wörld ✓"; print(greeting)  # expect: SCR105
        print(json.dumps({"success": True, "greeting": greeting}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
