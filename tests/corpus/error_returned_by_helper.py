"""A unit-conversion step whose `_convert()` answers with a result or with `{"error": ...}`,
and the script writes whatever it answers, then ends with exit code 0: each error object it
returns is reported as a success (SCR203, at the return). The second converter's caller
looks at the answer and exits 1 on an error: fine."""
# corpus-inputs: {"value": 3, "from": "km", "to": "m"}
import json
import sys

FACTORS = {"km": 1000.0, "m": 1.0, "cm": 0.01}


def _convert(inputs: dict) -> dict:
    source, target = inputs.get("from"), inputs.get("to")
    if source not in FACTORS or target not in FACTORS:
        return {"error": f"unknown unit: {source!r} or {target!r}"}  # expect: SCR203
    try:
        value = float(inputs.get("value", 0))
    except (TypeError, ValueError):
        return {"success": False, "error": "value is not a number"}  # expect: SCR203
    return {"success": True, "value": value * FACTORS[source] / FACTORS[target]}


def _checked(inputs: dict) -> dict:
    if not inputs:
        return {"success": False, "error": "no inputs"}
    return {"success": True, "keys": sorted(inputs)}


def main() -> None:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    if inputs.get("check_only"):
        answer = _checked(inputs)
        print(json.dumps(answer))
        sys.exit(0 if answer["success"] else 1)
    print(json.dumps(_convert(inputs)))


if __name__ == "__main__":
    main()
