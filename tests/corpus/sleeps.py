import json
import sys
import time
from time import sleep

RETRY_DELAY = 45

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        sleep(0.5)
        time.sleep(RETRY_DELAY)  # expect: SCR406
        print(json.dumps({"success": True}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
