"""The control: the same helper called twice, once with a project path and once with a
path from the inputs; neither call gives it an absolute path to report."""
import json
import sys


def count_lines(answer_file: str) -> int:
    with open(answer_file, encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        total = count_lines("data/answers.txt") + count_lines(inputs.get("extra", "data/x.txt"))
        print(json.dumps({"success": True, "lines": total}))
    except (OSError, ValueError) as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
