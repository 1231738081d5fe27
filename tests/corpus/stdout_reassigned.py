"""Every stray print goes to stderr: stdout is swapped for the whole run."""
import json
import sys

real_stdout = sys.stdout
sys.stdout = sys.stderr

if __name__ == "__main__":
    print("debug: starting")
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print("debug: parsed", inputs)
        real_stdout.write(json.dumps({"success": True, "n": len(inputs)}))
    except Exception as exc:
        real_stdout.write(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
