"""A lookup whose 'not found' is an answer, and a hook that fails open with a default.

The objects written by handlers for named exceptions are results, not error objects; what
the broad handler writes is an error object and must carry the error keys.
"""
import json
import subprocess
import sys


def lookup(name):
    try:
        output = subprocess.check_output(
            ["git", "rev-parse", "--verify", name], stderr=subprocess.STDOUT, timeout=10
        )
    except subprocess.CalledProcessError as exc:
        if b"unknown revision" in exc.output:
            print(json.dumps({"exists": False}))
            return
        raise
    print(json.dumps({"exists": True, "commit": output.decode().strip()}))


def main():
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
    except json.JSONDecodeError:
        print(json.dumps({"continue": True}))
        sys.exit(0)
    try:
        lookup(inputs.get("name", "HEAD"))
    except Exception as exc:
        print(json.dumps({"message": str(exc)}))  # expect: SCR205
        sys.exit(1)


if __name__ == "__main__":
    main()
