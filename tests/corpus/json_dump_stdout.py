"""json.dump straight to stdout, with the empty-stdin case handled by `or`."""
import json
import sys


def summarise(inputs):
    words = inputs.get("text", "").split()
    return {"success": True, "words": len(words)}


if __name__ == "__main__":
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        json.dump(summarise(inputs), sys.stdout)
    except Exception as exc:
        json.dump({"success": False, "error": str(exc)}, sys.stdout)
        sys.exit(1)
