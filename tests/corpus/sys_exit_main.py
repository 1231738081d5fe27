"""sys.exit(main()): main prints the JSON and returns the exit code."""
import json
import sys


def main() -> int:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
        if "name" not in inputs:
            print(json.dumps({"success": False, "error": "name is required"}))
            return 2  # expect: SCR201
        print(json.dumps({"success": True, "greeting": f"Hi {inputs['name']}"}))
        return 0
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        return 1


if __name__ == "__main__":
    sys.exit(main())
