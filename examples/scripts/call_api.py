#!/usr/bin/env python3
"""Fetches JSON from an HTTP API, with a timeout, and returns it."""
import json
import sys
import urllib.request


def call_api(inputs):
    url = inputs["api_url"]
    if not url.startswith(("http://", "https://")):
        raise ValueError("api_url must be an http(s) URL")
    with urllib.request.urlopen(url, timeout=10) as response:
        data = json.loads(response.read(1_000_000))
    return {"success": True, "data": data, "status": "completed"}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(call_api(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
