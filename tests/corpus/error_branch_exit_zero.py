"""An export step that builds its answer in one name: a success object, replaced by an
error object when there is nothing to export, then written once at the end. On the error
branch the script still ends with exit code 0, so the caller sees success (SCR203). A
branch that writes its error and exits 1, and a result whose exit code follows its flag,
are fine."""
# corpus-inputs: {"orders": [{"id": 1}]}
import json
import sys


def export(inputs: dict) -> None:
    orders = inputs.get("orders", [])
    result = {"success": True, "exported": len(orders)}
    if not orders:
        result = {"success": False, "error": "no orders to export"}  # expect: SCR203
    elif len(orders) > 1000:
        result = {"success": False, "error": "too many orders"}
        print(json.dumps(result))
        sys.exit(1)
    print(json.dumps(result))


def summarise(inputs: dict) -> None:
    answer = {"success": True, "count": len(inputs)}
    if not inputs.get("orders"):
        answer = {"success": False, "error": "no orders"}
    print(json.dumps(answer))
    sys.exit(0 if answer["success"] else 1)


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
    except ValueError as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
    if inputs.get("summary"):
        summarise(inputs)
    export(inputs)


if __name__ == "__main__":
    main()
