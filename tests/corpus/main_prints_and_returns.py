import json
import sys


def main(inputs):
    result = {"success": True, "echo": inputs}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs)))  # expect: SCR106
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
