"""A lint step that runs a checker and works out its own exit code in a name before it
exits. Codes other than 0 and 1 are found where they are written, whether the name is bound
on several paths, chosen with `if ... else`, or returned by the script's own helper
(SCR201); a code mapped to 0 or 1 on every path is fine."""
# corpus-inputs: {"mode": "mapped"}
import json
import subprocess
import sys

CHECKER = [sys.executable, "-c", "pass"]


def run_checker() -> int:
    outcome = subprocess.run(CHECKER, timeout=30, check=False)
    return outcome.returncode  # expect: SCR201


def verdict(problems: int) -> int:
    if problems > 10:
        return 3  # expect: SCR201
    return 1 if problems else 0


def main() -> None:
    raw = sys.stdin.read().strip()
    try:
        inputs = json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        sys.stdout.write(json.dumps({"success": False, "error": f"bad inputs: {exc}"}))
        sys.exit(1)
    mode = inputs.get("mode", "mapped")
    problems = len(inputs.get("problems", []))
    sys.stdout.write(json.dumps({"success": problems == 0, "problems": problems}))
    if mode == "raw":
        status = run_checker()
        sys.exit(status)
    if mode == "graded":
        graded = verdict(problems)
        sys.exit(graded)
    if mode == "strict":
        strict = 0
        if problems:
            strict = 2  # expect: SCR201
        sys.exit(strict)
    if mode == "warned":
        sys.exit(4 if problems else 0)  # expect: SCR201
    mapped = 1 if problems else 0
    sys.exit(mapped)


if __name__ == "__main__":
    main()
