"""A release-notes check run as a workflow step. Its `reject()` helper writes the error object
and hands back 0, and `main()` returns what `reject()` returns: the exit code of every
rejection is 0, so the caller sees a success (SCR203, at each `return reject(...)`). The
`refuse()` helper does the same with exit code 1: its rejections are fine."""
# corpus-inputs: {"notes": "Fixed the parser.", "version": "1.2.0"}
import json
import sys


def reject(reason: str) -> int:
    print(json.dumps({"success": False, "accepted": False, "error": reason}))
    return 0


def refuse(reason: str) -> int:
    print(json.dumps({"success": False, "error": reason}))
    return 1


def main() -> int:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        return refuse(f"inputs are not JSON: {exc}")
    notes = inputs.get("notes")
    if not isinstance(notes, str) or not notes.strip():
        return reject("no release notes")  # expect: SCR203
    version = str(inputs.get("version", ""))
    if version.count(".") != 2:
        return reject(f"not a version: {version!r}")  # expect: SCR203
    if len(notes) > 4000:
        return refuse("release notes longer than 4000 characters")
    print(json.dumps({"accepted": True, "version": version, "length": len(notes)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
