"""Chatty library code silenced with redirect_stdout; the result goes to the real stdout."""
import contextlib
import json
import sys


def noisy_work(n):
    print(f"working on {n}")
    return n * 2


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        with contextlib.redirect_stdout(sys.stderr):
            print("starting")
            value = noisy_work(inputs.get("n", 1))
        print(json.dumps({"success": True, "value": value}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
