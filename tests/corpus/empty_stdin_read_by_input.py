"""A credential helper that reads its request line with `input()`. On an empty stdin `input()`
raises `EOFError` before anything is parsed, so the request read that way fails (SCR103, at
the parse, with no fix: a default after `input()` comes too late). The header line read
under `except EOFError:` is handled."""
# corpus-inputs: {"uri": "https://example.org/pkg"}
import json
import sys


def read_request() -> dict:
    text = input()
    return json.loads(text)  # expect: SCR103


def read_header() -> dict:
    try:
        line = input()
    except EOFError:
        return {}
    return json.loads(line) if line.strip() else {}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "header":
        request = read_header()
    else:
        request = read_request()
    uri = str(request.get("uri", ""))
    print(json.dumps({"success": True, "headers": {"X-Requested": [uri]}}))


if __name__ == "__main__":
    main()
