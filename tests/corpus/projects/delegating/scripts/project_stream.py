"""The control: stdin handed to a module of the project, which may answer the script's
errors itself, so the script's lack of a handler is not reported."""
import json
import sys

from common.streams import load

if __name__ == "__main__":
    inputs = load(sys.stdin)
    print(json.dumps({"success": True, "count": len(inputs)}))
