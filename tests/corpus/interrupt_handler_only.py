"""A status-bar filter whose only handler catches Ctrl-C: that is not an error, so a line
that is not JSON still ends the run with a traceback and no JSON (SCR202)."""
# corpus-inputs: {"lines": ["[]"]}
import json
import sys


def read_request():
    try:
        return sys.stdin.read() or "{}"
    except KeyboardInterrupt:
        return "{}"  # stopped by hand: an empty request


if __name__ == "__main__":
    request = json.loads(read_request())  # expect: SCR202
    blocks = [{"full_text": line} for line in request.get("lines", [])]
    print(json.dumps({"success": True, "blocks": blocks}))
