"""Reads its arguments past the length it checked: `sys.argv[2]` raises IndexError when only
one is given, and nothing catches it."""

import json
import sys

if __name__ == "__main__":  # expect: SCR101, SCR202
    if len(sys.argv) < 2:
        print(json.dumps({"success": False, "error": "give two names"}))
        sys.exit(1)
    first, second = sys.argv[1], sys.argv[2]
    print(json.dumps({"success": True, "pair": [first, second]}))
