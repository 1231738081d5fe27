# corpus-inputs: {"mode": "mapped"}
"""A runner step that starts a formatter and hands its exit code on as its own: the child
may exit with 2, 3 or 127, which the caller reads as a crash (SCR201). Codes mapped to
0 or 1 first are fine."""
import json
import subprocess
import sys

CHECK = [sys.executable, "-c", "pass"]


def run_twice() -> int:
    first = subprocess.run(CHECK, timeout=30, check=False)
    if first.returncode != 0:
        return first.returncode  # expect: SCR201
    return 0


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
    except ValueError as exc:
        json.dump({"success": False, "error": str(exc)}, sys.stdout)
        sys.exit(1)
    mode = inputs.get("mode", "")
    result = subprocess.run(CHECK, timeout=30, check=False)
    json.dump({"success": result.returncode == 0, "mode": mode}, sys.stdout)
    if mode == "raw":
        sys.exit(result.returncode)  # expect: SCR201
    if mode == "call":
        code = subprocess.call(CHECK, timeout=30)
        raise SystemExit(code)  # expect: SCR201
    if mode == "twice":
        sys.exit(run_twice())
    if mode == "mapped":
        sys.exit(0 if result.returncode == 0 else 1)
    if mode == "clamped":
        sys.exit(min(result.returncode, 1))
    sys.exit(1 if result.returncode else 0)


if __name__ == "__main__":
    main()
