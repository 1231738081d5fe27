import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print("starting")  # scriptcontract: ignore[SCR105]
        print("still starting")  # scriptcontract: ignore
        print(json.dumps({"success": True}))  # scriptcontract: ignore[SCR404]  # expect: SCR901
        print("typo")  # scriptcontract: ignore[SCR1O5]  # expect: SCR105, SCR902
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
