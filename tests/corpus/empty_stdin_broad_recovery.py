"""Hooks that recover from an unreadable stdin with a broad handler and a default.

Each reader falls back on its own way; only the last one turns an empty stdin into a
failure (it exits 1 with an error object), so only its parse is reported.
"""
import json
import sys


def payload_or_default():
    try:
        return json.load(sys.stdin)
    except Exception:
        return {}


def payload_bare_except():
    try:
        event = json.loads(sys.stdin.read())
    except:  # noqa: E722 - the hook must never crash on its input
        event = {"tool_name": ""}
    return event


def payload_or_quiet_exit():
    try:
        return json.load(sys.stdin)
    except BaseException:
        sys.exit(0)  # expect: SCR203


def payload_or_failure():
    try:
        return json.load(sys.stdin)  # expect: SCR103
    except Exception as exc:
        print(json.dumps({"success": False, "error": f"unreadable inputs: {exc}"}))
        sys.exit(1)


if __name__ == "__main__":
    mode = payload_or_default().get("mode")
    readers = [payload_bare_except, payload_or_quiet_exit, payload_or_failure]
    chosen = readers[0] if mode is None else readers[-1]
    print(json.dumps({"success": True, "tool": chosen().get("tool_name", "")}))
