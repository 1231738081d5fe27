import json
import os
import subprocess as sp
import sys
from subprocess import PIPE, Popen, check_output


def main(inputs):
    listing = sp.run(["ls", "-l", "data"], capture_output=True, text=True)  # expect: SCR401
    version = check_output(["git", "--version"], text=True)  # expect: SCR401
    bounded = sp.run(["sleep", "1"], timeout=5)
    os.system("sync")  # expect: SCR401
    sp.run("ls data | wc -l", shell=True, timeout=5)  # expect: SCR402
    with Popen(["cat"], stdin=PIPE, stdout=PIPE) as proc:
        out, _ = proc.communicate(b"hello")  # expect: SCR401
    return {
        "success": True,
        "listing": listing.stdout,
        "version": version,
        "code": bounded.returncode,
        "echo": out.decode(),
    }


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
