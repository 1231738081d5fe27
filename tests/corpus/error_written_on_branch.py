"""A translation step that checks its inputs in `main()` and writes an error object straight
from the failing branch. Where the branch then returns, or is the script's last branch, the
run ends with exit code 0 and the caller sees success (SCR203). A branch that exits 1, and
an answer that only lists (possibly no) warnings, are fine."""
# corpus-inputs: {"text": "hello", "target": "fr"}
import json
import sys

LANGUAGES = {"fr", "de", "es"}


def translate(text: str, target: str) -> str:
    return f"[{target}] {text}"


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
    except ValueError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    text = inputs.get("text", "")
    target = inputs.get("target", "")
    if not isinstance(text, str):
        print(json.dumps({"success": False, "error": "text must be a string"}))
        sys.exit(1)
    if not text:
        print(json.dumps({"success": False, "error": "nothing to translate"}))  # expect: SCR203
        return
    if target not in LANGUAGES:
        print(json.dumps({"status": "failed", "reason": f"no {target!r}"}))  # expect: SCR203, SCR205
        return
    if len(text) > 5000:
        print(json.dumps({"translated": translate(text[:5000], target), "warnings": []}))
        return
    print(json.dumps({"success": True, "translated": translate(text, target)}))


if __name__ == "__main__":
    main()
