#!/usr/bin/env python3
"""Breaks the contract: a loop with no way out runs into the timeout."""
import json
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
count = 0
while True:
    count += 1
print(json.dumps({"success": True, "count": count}))
