#!/usr/bin/env python3
"""Breaks the contract: a missing input gives a traceback and no JSON at all."""
import json
import sys

inputs = json.load(sys.stdin)
name = inputs["name"]
print(json.dumps({"success": True, "greeting": "Hi " + name}))
