"""A permission hook that fails open: whatever goes wrong, it answers `{"continue": true}`
so that the agent's call goes on. That answer, written by `except Exception:`, is the
hook's normal reply, not an error object lacking "success" and "error" (no SCR205); an
object that tells of the failure (`{"message": str(exc)}`) still is one."""
import json
import re
import sys

BLOCKED = re.compile(r"\brm\s+-rf\s+/")


def decide(event: dict) -> dict:
    command = (event.get("tool_input") or {}).get("command", "")
    if BLOCKED.search(command):
        return {"continue": False, "stopReason": "refusing to remove the root"}
    return {"continue": True}


def main() -> None:
    try:
        event = json.loads(sys.stdin.read() or "{}")
    except Exception:
        print(json.dumps({"continue": True}))
        return
    try:
        answer = decide(event)
    except Exception as exc:
        print(json.dumps({"message": str(exc)}))  # expect: SCR205
        sys.exit(1)
    print(json.dumps(answer))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # expect: SCR203
        print(json.dumps({"continue": True, "retries": 0}))
