"""Output through small helpers: emit() prints, fail() prints an error and exits."""
import json
import sys


def emit(payload):
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def fail(message, kind="ValueError"):
    emit({"success": False, "error": message, "error_type": kind})
    sys.exit(1)


def read_inputs():
    raw = sys.stdin.read()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        fail(f"invalid JSON: {exc}")


def main():
    inputs = read_inputs()
    if "url" not in inputs:
        fail("url is required")
    try:
        size = len(inputs["url"])
    except Exception as exc:
        fail(str(exc), type(exc).__name__)
    emit({"success": True, "size": size})


if __name__ == "__main__":
    main()
