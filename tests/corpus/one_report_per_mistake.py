"""Mistakes that used to be reported several times: each is reported once, where it is.

An event stream written one JSON line per item (three writes, one loop), an exit code the
contract does not know, and a snippet compiled from the inputs and then run.
"""
import json
import sys


def stream(items):
    for item in items:
        if item.get("skip"):
            print(json.dumps({"event": "skipped", "id": item.get("id")}))  # expect: SCR106
            continue
        print(json.dumps({"event": "start", "id": item.get("id")}))
        print(json.dumps({"event": "done", "id": item.get("id")}))


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    if "items" not in inputs:
        sys.exit(2)  # expect: SCR201
    try:
        code = compile(inputs.get("filter", "True"), "<filter>", "eval")
        keep = eval(code)  # expect: SCR501
        stream(inputs["items"] if keep else [])
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
