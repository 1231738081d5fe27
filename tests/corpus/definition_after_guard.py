"""A script whose guard comes before a debugging helper it never calls: the helper's JSON is
written by no run (a `def` runs nothing), so the result written under the guard is the only
document, and nothing is reported."""
# corpus-inputs: {"name": "a"}
import json
import sys


def main():
    raw = sys.stdin.read()
    try:
        name = json.loads(raw or "{}").get("name", "")
    except (ValueError, AttributeError):
        name = ""  # not an object: no name
    print(json.dumps({"success": True, "name": name}))


if __name__ == "__main__":
    main()


def dump_state(state):
    print(json.dumps({"state": state}, indent=2))
