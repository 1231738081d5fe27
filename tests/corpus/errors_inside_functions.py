"""Error exits inside functions, below functions that print: each one leaves stdout empty.

The helpers defined above `main()` print only when called; none has been called when these
error paths run, so every exit here ends the run without a JSON error object.
"""
import json
import sys


def show(result):
    print(json.dumps(result))


def load(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        sys.exit(exc)  # expect: SCR204
    except ValueError as exc:
        raise SystemExit(f"{path}: not JSON ({exc})")  # expect: SCR204


def main():
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    if "config_file" not in inputs:
        return 1  # expect: SCR204
    config = load(inputs["config_file"])
    if not config.get("enabled", True):
        exit("the configuration is disabled")  # expect: SCR204
    try:
        show({"success": True, "keys": sorted(config)})
    except (TypeError, ValueError) as exc:
        print(json.dumps({"error": str(exc)}))  # expect: SCR205
        return 0  # expect: SCR203
    return 0


if __name__ == "__main__":
    sys.exit(main())
