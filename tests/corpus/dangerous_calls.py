import base64
import json
import os
import pickle
import sys

import yaml


def main(inputs):
    result = eval(inputs["expression"])  # expect: SCR501
    state = pickle.loads(base64.b64decode(inputs["state"]))  # expect: SCR502
    config = yaml.load(inputs["config"])  # expect: SCR502
    safe = yaml.load(inputs["config"], Loader=yaml.SafeLoader)
    os.system(f"echo {inputs['name']}")  # expect: SCR401, SCR503
    constant = eval("1 + 1")
    return {"success": True, "values": [result, state, config, safe, constant]}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        print(json.dumps(main(inputs), default=str))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
