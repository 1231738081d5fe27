"""A settings reader that answers from its own handlers. A handler of a named exception that
writes an object saying the run failed, then returns from the script's last call, ends the
run with exit code 0 (SCR203). A handler answering an expected outcome (no file: nothing
found) and one that exits 1 after its error object are fine."""
# corpus-inputs: {"name": "colour"}
import json
import sys

SETTINGS = {"colour": "blue", "size": "large"}


def read_setting(inputs: dict) -> None:
    try:
        name = inputs["name"]
    except KeyError:
        print(json.dumps({"success": False, "error": "no setting name given"}))  # expect: SCR203
        return
    try:
        with open(f"overrides/{name}.txt", encoding="utf-8") as handle:
            value = handle.readline().strip()
    except FileNotFoundError:
        print(json.dumps({"success": True, "name": name, "value": SETTINGS.get(name)}))
        return
    except UnicodeDecodeError as exc:
        print(json.dumps({"success": False, "error": f"unreadable override: {exc}"}))
        sys.exit(1)
    print(json.dumps({"success": True, "name": name, "value": value}))


def main() -> None:
    text = sys.stdin.read()
    try:
        inputs = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    read_setting(inputs)


if __name__ == "__main__":
    main()
