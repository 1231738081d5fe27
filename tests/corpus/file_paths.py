"""Reads /etc/passwd? No: this docstring only mentions /etc/passwd and ../secrets."""
import json
import os
import shutil
import sys
from pathlib import Path

CONFIG = "/etc/app/settings.ini"  # expect: SCR301
HELP = "pass paths like ../data relative to the root"


def main(inputs):
    data_dir = Path("data")
    rows = (data_dir / "rows.txt").read_text().splitlines()  # expect: SCR405
    with open(CONFIG) as handle:
        settings = handle.readline()
    with open("../../shared/secret.txt") as handle:  # expect: SCR302
        secret = handle.readline()
    logs = os.listdir(os.path.join("/var", "log"))  # expect: SCR301
    shutil.copy("data/in.txt", "data/../output/in.txt")
    with open("/dev/null", "w") as sink:
        sink.write(HELP)
    home = Path("~/.ssh/id_rsa").expanduser()  # expect: SCR301
    print(f"{len(rows)} rows from {settings} {secret} {logs} {home}", file=sys.stderr)
    return {"success": True, "rows": len(rows)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
