import json
import sys

if __name__ == "__main__":
    try:
        count = 0
        for line in sys.stdin:  # expect: SCR102
            count += len(line.split())
        print(json.dumps({"success": True, "words": count}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
