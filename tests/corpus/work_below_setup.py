"""A script without a main guard: the advice points at the line that does the work,
not at the harmless set-up lines above it."""
import json
import logging
import re
import sys

logger = logging.getLogger("wordcount")
WORD = re.compile(r"\w+")
sys.path.insert(0, "lib")

inputs = json.loads(sys.stdin.read() or "{}")  # expect: SCR202, SCR207
counts = {}
for word in WORD.findall(inputs.get("text", "")):
    counts[word.lower()] = counts.get(word.lower(), 0) + 1
print(json.dumps({"success": True, "counts": counts}))
