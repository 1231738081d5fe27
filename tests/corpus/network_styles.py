import json
import sys

import httpx
import requests


def fetch(inputs):
    url = inputs["api_url"]
    first = requests.get(url)  # expect: SCR403
    second = requests.post(url, json={"q": 1}, timeout=10)
    session = requests.Session()
    third = session.get(url)  # expect: SCR403
    fourth = httpx.get(url)
    return {"success": True, "codes": [r.status_code for r in (first, second, third, fourth)]}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(fetch(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
