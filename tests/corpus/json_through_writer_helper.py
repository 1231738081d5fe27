"""A status-line filter: it writes through its own unbuffered helper, one JSON array per
pass of its loop, after a comma from the second pass on. Neither the helper's write
(`line + "\\n"`) nor the sum (`separator + json.dumps(...)`) is JSON by itself, but each pass
hands a JSON document to stdout: one run writes several (SCR106, at the call)."""
# corpus-inputs: {"blocks": ["cpu", "disk"]}
import json
import sys


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    try:
        request = json.loads(sys.stdin.read() or "{}")
    except ValueError as exc:
        emit(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
    separator = ""
    for name in request.get("blocks", []):
        emit(separator + json.dumps([{"name": name, "full_text": name.upper()}]))  # expect: SCR106
        separator = ","


if __name__ == "__main__":
    main()
