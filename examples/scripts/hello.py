#!/usr/bin/env python3
"""Greets someone: the smallest script that keeps the contract."""
import json
import sys


def main(inputs):
    name = inputs.get("name", "World")
    return {"success": True, "message": f"Hello, {name}!"}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(main(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
