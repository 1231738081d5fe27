"""An editor hook: handles the tools it checks, lets every other tool through untouched.

A value outside `CHECKED` is skipped with success, not refused: the inferred schema gives
`tool_name` no enum, so `run` does not warn of `{"tool_name": "Bash"}`.
"""
# corpus-inputs: {"tool_name": "Write", "tool_input": {"file_path": "notes.txt", "content": "hi"}}
import json
import sys

CHECKED = ("Write", "Edit")


def main(event):
    tool = event.get("tool_name", "")
    if tool not in CHECKED:
        return {"success": True, "decision": "allow", "checked": False}
    details = event.get("tool_input") or {}
    text = details.get("content") or details.get("new_string") or ""
    if "password=" in text:
        return {"success": True, "decision": "deny", "reason": "a password in the file"}
    return {"success": True, "decision": "allow", "checked": True}


if __name__ == "__main__":
    try:
        event = json.loads(sys.stdin.read() or "{}")
        print(json.dumps(main(event)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
