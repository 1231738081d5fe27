"""Answers on a channel of its own (file descriptor 3) and only flushes stdout: the
caller, reading stdout, gets nothing."""

import json
import os
import sys
from sys import stdout

if __name__ == "__main__":  # expect: SCR104
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    answer = json.dumps({"success": True, "keys": sorted(inputs)})
    try:
        with os.fdopen(3, "w") as channel:
            channel.write(answer)
    except OSError as exc:
        print(f"no answer channel: {exc}", file=sys.stderr)
    sys.stdout.flush()
    stdout.flush()
