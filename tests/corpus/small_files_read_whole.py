"""Configuration and notes files, and stdin, are read whole on purpose; a data file is the
advice's case."""
import json
import os
import sys
from pathlib import Path

SETTINGS = os.path.join("config", "settings.json")


def load():
    with open(SETTINGS, encoding="utf-8") as handle:
        settings = json.loads(handle.read())
    notes = Path("README.md").read_text(encoding="utf-8")
    table = Path("data") / "measurements.csv"
    rows = table.read_text().splitlines()  # expect: SCR405
    return settings, notes, rows


def read_inputs():
    with open(0, encoding="utf-8") as stream:  # stdin: the inputs are read whole
        return stream.read()


if __name__ == "__main__":
    raw = read_inputs()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        settings, notes, rows = load()
        print(json.dumps({"success": True, "rows": len(rows), "keys": sorted(settings)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
