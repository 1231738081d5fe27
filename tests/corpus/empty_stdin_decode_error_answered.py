"""The control: the decode error is named and answered with a JSON error object before a
raise for the log; the author chose how an unreadable (or empty) query is reported."""
import json
import sys


def main() -> None:
    try:
        query = json.loads(sys.stdin.read())
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"the query is not JSON: {exc}"}))
        raise SystemExit(1) from exc
    print(json.dumps({"success": True, "region": query.get("region", "none")}))


if __name__ == "__main__":
    main()
