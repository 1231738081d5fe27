"""A resource step whose guard compares `__name__` with "main": it never holds when the file is
run, so `main()` never runs and the step answers nothing (SCR207, at the guard, and not again
at the `main()` call under it)."""
# corpus-inputs: {"version": "1.0.0"}
import json
import sys


def main() -> None:
    raw = sys.stdin.read()
    try:
        request = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    print(json.dumps({"success": True, "version": {"ref": str(request.get("version", ""))}}))


if __name__ == "main":  # expect: SCR207
    main()
