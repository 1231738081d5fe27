"""stdout reached through other names: an alias, its buffer, a UTF-8 wrapper around it.

The wrapper keeps stdout where it was, so the stray progress line is still found; the JSON
written through the alias is the result, so the error path that exits 1 after it has
written its error object.
"""
import io
import json
import sys
import traceback

sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
out = sys.stdout


def emit(document):
    json.dump(document, out)
    out.write("\n")


def stream(events):
    raw = sys.stdout.buffer
    for event in events:
        raw.write(json.dumps(event).encode("utf-8") + b"\n")  # expect: SCR106


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    print("starting")  # expect: SCR105
    try:
        if inputs.get("stream"):
            stream(inputs.get("events", []))
        else:
            emit({"success": True, "count": len(inputs)})
    except Exception as exc:
        emit({"success": False, "error": str(exc)})
        print(traceback.format_exc())  # expect: SCR105
        sys.exit(1)


def log(message):
    print(message)


def run_with_log(inputs):
    log("loading inputs")  # expect: SCR105
    log(json.dumps({"success": True, "keys": sorted(inputs)}))
