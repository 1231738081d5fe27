import json
import sys


def main(inputs):
    if "name" not in inputs:
        sys.exit("name is required")  # expect: SCR204
    return {"success": True, "name": inputs["name"]}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
