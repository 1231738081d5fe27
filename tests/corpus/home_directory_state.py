"""State kept under the home directory: each run gets a private HOME, so it is lost."""
import json
import os
import sys
from pathlib import Path

CACHE = os.path.expanduser("~/.cache/summary.json")  # expect: SCR304
MARKER = Path.home() / ".summary-ran"  # expect: SCR304
CONFIG = Path("~/.config/summary.toml").expanduser()  # expect: SCR301
STATE = Path("state") / "summary.json"


def main(inputs):
    home = os.environ.get("HOME", "/tmp")  # expect: SCR304
    return {"success": True, "home_known": bool(home), "keys": sorted(inputs)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
