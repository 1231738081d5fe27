"""An answer checker: the expected answers live in a fixed folder of the machine it was
written for, and the path reaches `open()` through a helper's parameter."""
import json
import sys


def count_lines(answer_file: str) -> int:
    with open(answer_file, encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        name = inputs.get("name", "sample")
        lines = count_lines(f"/srv/answers/{name}.txt")  # expect: SCR301
        print(json.dumps({"success": True, "lines": lines}))
    except (OSError, ValueError) as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
