"""The control: the caller's handler reports the failure through the script's own helper,
which exits 1, so an empty stdin still ends the run as an error (SCR103); and a parse in
a function that is also handed out as a callback is not judged by one of its callers."""
# corpus-inputs: {"more": false}
import json
import sys


def fail(message: str) -> None:
    print(json.dumps({"success": False, "error": message}))
    sys.exit(1)


def read_request() -> dict:
    return json.loads(sys.stdin.read())  # expect: SCR103


def read_again() -> dict:
    return json.load(sys.stdin)  # expect: SCR103


READERS = {"again": read_again}

if __name__ == "__main__":
    try:
        request = read_request()
        request.update(READERS["again"]() if request.get("more") else {})
    except Exception as exc:
        fail(str(exc))
    print(json.dumps({"success": True, "keys": sorted(request)}))
