import json
import sys


def main():
    raw = sys.stdin.read() or "{}"
    try:
        inputs = json.loads(raw)
        sys.stdout.write("processing\n")  # expect: SCR105
        sys.stdout.write(json.dumps({"success": True, "count": len(inputs)}))
        return 0
    except ValueError as exc:
        sys.stdout.write(json.dumps({"success": False, "error": str(exc)}))
        return 1


if __name__ == "__main__":
    sys.exit(main())
