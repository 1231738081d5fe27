"""A fixture that always fails: the only `except` is in a helper nothing calls, left over
from an earlier version, so every run that fails ends with a traceback and no JSON result."""
import json
import sys


def parse_ratio(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def main() -> None:
    inputs = json.loads(sys.stdin.read() or "{}")  # expect: SCR202
    ratio = float(inputs.get("ratio", "1"))
    print(json.dumps({"success": True, "ratio": ratio}))


if __name__ == "__main__":
    main()
