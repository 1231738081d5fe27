#!/usr/bin/env python3
"""Breaks the contract: exits 2 and 3 and starts a subprocess without a timeout."""
import json
import subprocess
import sys

raw = sys.stdin.read()
inputs = json.loads(raw) if raw.strip() else {}
if "command" not in inputs:
    print(json.dumps({"success": False, "error": "missing command"}))
    sys.exit(2)
try:
    listing = subprocess.run(inputs["command"], capture_output=True, text=True)
    print(json.dumps({"success": True, "stdout": listing.stdout}))
except Exception as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(3)
