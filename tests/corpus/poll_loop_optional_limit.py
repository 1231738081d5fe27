"""A step that runs a formatter with Popen and polls it. `run_formatter()` kills the child
once `limit` seconds have passed, but only when a limit is given, and `limit` defaults to
None; the script calls it without one, so the loop waits as long as the formatter runs
(SCR401). `run_checker()` has the same gate with a limit every call passes, and
`run_linter()` gives its limit a value when none is passed: both wait with a limit."""
# corpus-inputs: {}
import json
import subprocess
import sys
import time

TOOL = [sys.executable, "-c", "pass"]


def run_formatter(paths: list[str], limit: float | None = None) -> int:
    child = subprocess.Popen([*TOOL, *paths])
    started = time.monotonic()
    while child.poll() is None:  # expect: SCR401
        if limit and time.monotonic() - started > limit:
            child.kill()
            break
        time.sleep(0.05)
    return child.returncode


def run_checker(paths: list[str], limit: float | None = None) -> int:
    child = subprocess.Popen([*TOOL, *paths])
    started = time.monotonic()
    while child.poll() is None:
        if limit is not None and time.monotonic() - started > limit:
            child.kill()
            break
        time.sleep(0.05)
    return child.returncode


def run_linter(paths: list[str], limit: float | None = None) -> int:
    limit = limit or 20.0
    child = subprocess.Popen([*TOOL, *paths])
    started = time.monotonic()
    while child.poll() is None:
        if limit and time.monotonic() - started > limit:
            child.kill()
            break
        time.sleep(0.05)
    return child.returncode


def main() -> None:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    paths = [str(p) for p in inputs.get("paths", [])]
    codes = [run_formatter(paths), run_checker(paths, limit=20.0), run_linter(paths)]
    failed = any(codes)
    print(json.dumps({"success": not failed, "codes": codes}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
