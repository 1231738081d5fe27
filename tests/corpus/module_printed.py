"""A scoring step that prints its result and, left over from debugging, a module: the
module's repr (`<module 'statistics' ...>`) follows the JSON on stdout (SCR105). A value
the module's function computes, printed inside the JSON result, is fine."""
# corpus-inputs: {"scores": [3, 5, 8]}
import json
import statistics
import sys


def main() -> None:
    text = sys.stdin.read().strip() or "{}"
    try:
        inputs = json.loads(text)
    except ValueError as exc:
        print(json.dumps({"success": False, "error": f"bad inputs: {exc}"}))
        sys.exit(1)
    scores = [float(score) for score in inputs.get("scores", [])] or [0.0]
    summary = {"success": True, "mean": statistics.fmean(scores)}
    print(json.dumps(summary))
    if inputs.get("debug"):
        print(statistics)  # expect: SCR105


if __name__ == "__main__":
    main()
