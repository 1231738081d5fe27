"""Retries an HTTP call three times, then reports once."""
import json
import sys
import time
import urllib.error
import urllib.request


def fetch(url):
    last_error = None
    for attempt in range(3):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read(1_000_000))
        except urllib.error.URLError as exc:
            last_error = exc
            print(f"attempt {attempt + 1} failed: {exc}", file=sys.stderr)
            time.sleep(1)
    raise RuntimeError(f"gave up: {last_error}")


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        data = fetch(inputs["api_url"])
        sys.stdout.write(json.dumps({"success": True, "data": data}) + "\n")
    except Exception as exc:
        sys.stdout.write(json.dumps({"success": False, "error": str(exc)}) + "\n")
        sys.exit(1)
