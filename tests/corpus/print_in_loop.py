import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        for item in inputs.get("items", []):
            print(json.dumps({"item": item, "length": len(item)}))  # expect: SCR106
        for item in inputs.get("items", []):
            if item == inputs.get("wanted"):
                print(json.dumps({"success": True, "found": item}))
                break
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
