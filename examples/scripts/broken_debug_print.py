#!/usr/bin/env python3
"""Breaks the contract: debug output on stdout makes the JSON unreadable."""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
print("Starting the count...")
try:
    total = sum(inputs.get("numbers", [1, 2, 3]))
    print(json.dumps({"success": True, "total": total}))
    sys.exit(0)
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
