#!/usr/bin/env python3
"""Takes its inputs from the command line, which the executor does not pass."""
import argparse
import json
import sys

if __name__ == "__main__":  # expect: SCR101
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="World")
    args = parser.parse_args()
    try:
        print(json.dumps({"success": True, "greeting": f"Hello, {args.name}"}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
