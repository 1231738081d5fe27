"""A `while True:` whose only ways to stop are the comprehension's method calls: none.

Methods called on a comprehension's own items (`name.strip()`) work on the items; they are
not a way out of the loop, so the loop still runs until the run is killed.
"""
import json
import sys
import time

raw = sys.stdin.read()  # expect: SCR207
inputs = json.loads(raw) if raw.strip() else {}  # expect: SCR202
names = list(inputs.get("names", []))
print(json.dumps({"success": True, "watching": len(names)}))
while True:  # expect: SCR404
    ready = [name.strip() for name in names if name.strip()]
    time.sleep(1)
