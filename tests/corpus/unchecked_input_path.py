import json
import os
import sys


def main(inputs):
    with open(inputs["source"]) as handle:  # expect: SCR303
        head = handle.readline()
    with open(inputs["input_file"]) as handle:
        first = handle.readline()
    target = inputs.get("destination", "output/copy.txt")
    real = os.path.realpath(target)
    if not real.startswith(os.getcwd()):
        raise ValueError("destination must stay inside the project")
    with open(target, "w") as handle:
        handle.write(head + first)
    return {"success": True}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
