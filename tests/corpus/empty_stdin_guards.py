"""Every usual way of treating an empty stdin as {}."""
import json
import sys


def read_a():
    raw = sys.stdin.read()
    if not raw:
        return {}
    return json.loads(raw)


def read_b():
    return json.loads(sys.stdin.read() or "{}")


def read_c():
    raw = sys.stdin.read().strip()
    return json.loads(raw) if raw else {}


def read_d():
    try:
        return json.load(sys.stdin)
    except json.JSONDecodeError:
        return {}


if __name__ == "__main__":
    try:
        inputs = read_a() or read_b() or read_c() or read_d()
        print(json.dumps({"success": True, "inputs": inputs}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
