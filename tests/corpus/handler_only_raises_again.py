"""A signing-key helper whose only `try` catches the error of reading its key file and raises
it again: nothing is handled, so a missing key or a bad request still ends the run with a
traceback and no JSON (SCR202, at the first parse)."""
# corpus-inputs: {"uri": "https://example.org/a"}
import hashlib
import json
import sys

KEY_FILE = "keys/signing.key"


def load_key() -> bytes:
    try:
        with open(KEY_FILE, "rb") as handle:
            return handle.read(4096)
    except OSError as err:
        raise err


def main() -> None:
    raw = sys.stdin.read() or "{}"
    request = json.loads(raw)  # expect: SCR202
    uri = request["uri"]
    digest = hashlib.sha256(load_key() + uri.encode()).hexdigest()
    print(json.dumps({"success": True, "headers": {"X-Signature": [digest]}}))


if __name__ == "__main__":
    main()
