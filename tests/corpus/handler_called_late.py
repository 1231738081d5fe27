"""The control: the helper holding the `except` is named only as a callback, after it is
defined, and that is enough for it to run; the error is handled where it happens."""
import json
import sys


def parse_ratio(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def main() -> None:
    inputs = json.loads(sys.stdin.read() or "{}")
    ratios = list(map(parse_ratio, inputs.get("ratios", [])))
    print(json.dumps({"success": True, "total": sum(ratios)}))


if __name__ == "__main__":
    main()
