#!/usr/bin/env python3
"""Breaks the contract: reads a file outside the project; the sandbox refuses it."""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
try:
    with open("/etc/passwd") as handle:
        users = [line.split(":")[0] for line in handle]
    print(json.dumps({"success": True, "users": users}))
    sys.exit(0)
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
    sys.exit(1)
