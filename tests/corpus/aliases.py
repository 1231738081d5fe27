"""Aliased imports everywhere: json as j, sys as system, from sys import stdin, exit."""
import json as j
import sys as system
from sys import exit, stdin


def run(inputs):
    return {"success": True, "keys": sorted(inputs)}


if __name__ == "__main__":
    text = stdin.read()
    data = j.loads(text) if text.strip() else {}
    try:
        system.stdout.write(j.dumps(run(data)) + "\n")
    except Exception as problem:
        system.stdout.write(j.dumps({"success": False, "error": str(problem)}))
        exit(1)
