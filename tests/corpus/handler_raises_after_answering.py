"""The control of `handler_only_raises_again.py`: the handler of the key file answers with an
error object and exits 1 before anything else; the script handles its errors (no SCR202)."""
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
        print(json.dumps({"success": False, "error": f"no signing key: {err}"}))
        sys.exit(1)


def main() -> None:
    raw = sys.stdin.read() or "{}"
    request = json.loads(raw)
    uri = str(request.get("uri", ""))
    digest = hashlib.sha256(load_key() + uri.encode()).hexdigest()
    print(json.dumps({"success": True, "headers": {"X-Signature": [digest]}}))


if __name__ == "__main__":
    main()
