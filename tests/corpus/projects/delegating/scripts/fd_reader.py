"""Reads its inputs through a helper of a helper, from file descriptor 0: they are read."""
import json
import sys

from common.steps import run


def step(inputs):
    return {"success": True, "keys": sorted(inputs)}


if __name__ == "__main__":
    try:
        print(json.dumps(run(step)))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
