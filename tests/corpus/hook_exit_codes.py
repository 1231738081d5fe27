# corpus-settings: {"exit-codes": [0, 1, 2]}
"""An editor hook whose project allows exit code 2: it blocks the call and says why on
stderr. Only the code outside the project's list is reported."""
import json
import sys


def main():
    try:
        payload = json.loads(sys.stdin.read() or "{}")
    except ValueError:
        return 0
    command = (payload.get("tool_input") or {}).get("command", "")
    if "rm -rf /" in command:
        print("Blocked: this command deletes the whole disk.", file=sys.stderr)
        return 2
    if not isinstance(command, str):
        sys.exit(3)  # expect: SCR201
    print(json.dumps({"decision": "allow"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
