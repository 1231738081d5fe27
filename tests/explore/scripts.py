"""Real scripts that fail only on some inputs, and one that never does, for exploration."""


def line_of(source: str, text: str) -> int:
    """The 1-based line of `text` in `source` as a test project writes it (leading newline
    dropped)."""
    lines = source.lstrip("\n").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


DIVIDES = """
import json
import sys


def main(inputs):
    total = inputs["total"]
    count = inputs["count"]
    label = inputs.get("label", "each")
    return {"success": True, label: total / count}


if __name__ == "__main__":
    print(json.dumps(main(json.load(sys.stdin))))
"""
DIVIDES_LINE = line_of(DIVIDES, "total / count")

INDEXES = """
import json
import sys

inputs = json.load(sys.stdin)
items = inputs["items"]
names = [str(item) for item in items]
first = items[0]
print(json.dumps({"success": True, "first": first, "count": len(names)}))
"""
INDEXES_LINE = line_of(INDEXES, "items[0]")

SHOUTS = """
import json
import sys

inputs = json.load(sys.stdin)
mode = inputs.get("mode", "loud")
if mode not in ("loud", "quiet"):
    print(json.dumps({"success": False, "error": "unknown mode", "error_type": "ValueError"}))
    sys.exit(1)
name = inputs.get("name")
print(json.dumps({"success": True, "greeting": name.upper() if mode == "loud" else name}))
"""
SHOUTS_LINE = line_of(SHOUTS, "name.upper()")

# Two distinct failures in one script: each is reported, each with its own smallest input.
TWO_BUGS = """
import json
import sys

inputs = json.load(sys.stdin)
rows = inputs["rows"]
initials = [row["id"].lower()[0] for row in rows]
average = sum(len(row["id"]) for row in rows) / len(rows)
print(json.dumps({"success": True, "average": average}))
"""

# Breaks the contract without an exception: two documents on stdout, a stray exit status.
CONTRACT = """
import json
import sys

inputs = json.load(sys.stdin)
if inputs.get("verbose") == True:
    print("starting")
if inputs.get("mode") == "strict":
    sys.exit(3)
print(json.dumps({"success": True}))
"""

SAFE = """
import json
import sys

inputs = json.load(sys.stdin)
name = inputs.get("name")
count = inputs.get("count", 1)
text = str(name).upper() if isinstance(name, str) else "WORLD"
times = count if isinstance(count, int) and 0 < count < 5 else 1
print(json.dumps({"success": True, "greeting": ", ".join([text] * times)}))
"""

SLOW = """
import json
import sys
import time

inputs = json.load(sys.stdin)
time.sleep(0.5 if inputs.get("n", 0) else 0.4)
print(json.dumps({"success": True, "n": inputs.get("n", 0) + 1}))
"""

# Fails only past a bound, on a large total: found with large numbers, then shrunk down to
# the bound (1001) and to one item.
PAST_A_BOUND = """
import json
import sys

inputs = json.load(sys.stdin)
total = 0
for item in inputs["items"]:
    total += item["qty"] * 1
if total > 1000:
    raise OverflowError("too many")
print(json.dumps({"success": True, "total": total}))
"""
PAST_A_BOUND_LINE = line_of(PAST_A_BOUND, "raise OverflowError")

LONG_NOTE = """
import json
import sys

inputs = json.load(sys.stdin)
note = inputs.get("note", "").strip()
if len(note) > 20:
    raise ValueError("the note is too long")
print(json.dumps({"success": True, "note": note}))
"""
LONG_NOTE_LINE = line_of(LONG_NOTE, "raise ValueError")

# Answers a zero with its own error object and exit 1, as the contract asks: not a failure.
HANDLES = """
import json
import sys

inputs = json.load(sys.stdin)
try:
    share = 100 // int(inputs["parts"])
except ZeroDivisionError as exc:
    print(json.dumps({"success": False, "error": str(exc), "error_type": "ZeroDivisionError"}))
    sys.exit(1)
print(json.dumps({"success": True, "share": share}))
"""
