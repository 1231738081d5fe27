"""Where input data can reach a command, and where it only fills in arguments.

A command list bound to a name still runs the program its first item names; input data
stored in an attribute or added to a container still reaches the command built from it.
"""
import json
import os
import shutil
import subprocess
import sys


class Job:
    def __init__(self, inputs):
        self.command = inputs.get("command", "true")

    def run(self):
        return subprocess.run(self.command, shell=True, timeout=5)  # expect: SCR402, SCR503


def describe(inputs):
    args = ["git", "log", "--oneline", "-n", str(inputs.get("count", 5))]
    args += ["--", inputs.get("path", ".")]
    return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout


def check(inputs):
    runner = ["uv", "run"] if shutil.which("uv") else [sys.executable, "-m"]
    command = runner + ["pytest", "-q", inputs.get("target", "tests")]
    return subprocess.run(command, capture_output=True, timeout=20).returncode


def announce(inputs):
    words = ["echo"]
    words.append(inputs.get("message", ""))
    return os.system(" ".join(words))  # expect: SCR401, SCR503


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        result = {"success": True, "log": describe(inputs), "status": check(inputs)}
        announce(inputs)
        Job(inputs).run()
        print(json.dumps(result))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
