"""A lookup program that names the decode error only to raise another exception: an empty
query still ends the run with a traceback and no JSON answer."""
import json
import sys


class QueryError(Exception):
    pass


def read_query() -> dict[str, str]:
    try:
        return json.loads(sys.stdin.read())  # expect: SCR103
    except json.JSONDecodeError as exc:
        raise QueryError("the query is not JSON") from exc


def main() -> None:
    try:
        query = read_query()
        print(json.dumps({"success": True, "region": query.get("region", "none")}))
    except QueryError as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
