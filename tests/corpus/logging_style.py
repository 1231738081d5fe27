import json
import logging
import sys

logging.basicConfig(level=logging.INFO, stream=sys.stdout)  # expect: SCR105
log = logging.getLogger("job")
errors = logging.StreamHandler(sys.stderr)
log.addHandler(errors)

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        log.info("inputs: %s", inputs)
        print(json.dumps({"success": True}))
    except Exception as exc:
        log.exception("failed")
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
