import json
import sys


def main():
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw else {}
        print(json.dumps({"success": True, "value": 10 / inputs["divisor"]}))
    except Exception as exc:  # expect: SCR203
        print(json.dumps({"success": False, "error": str(exc)}))


if __name__ == "__main__":
    main()
