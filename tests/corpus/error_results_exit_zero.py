"""Error results that end the run with exit code 0: after `break`, and from a `finally`."""
import json
import sys
import time


def fetch(inputs):
    result = {"success": True}
    try:
        result["value"] = 100 / int(inputs.get("divisor", 1))
    except Exception as exc:  # expect: SCR203
        result = {"success": False, "error": str(exc)}
    finally:
        print(json.dumps(result))


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    if inputs.get("once"):
        fetch(inputs)
        sys.exit(0)
    attempt = 0
    while True:
        try:
            attempt += 1
            value = 100 / (int(inputs.get("divisor", 0)) + attempt - 1)
            print(json.dumps({"success": True, "value": value, "attempts": attempt}))
            break
        except Exception as exc:  # expect: SCR203
            print(json.dumps({"success": False, "error": str(exc)}))
            break
        finally:
            time.sleep(0.1)
