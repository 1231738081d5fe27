#!/usr/bin/env python3
"""Transforms a list of strings; the operation comes from the inputs."""
import json
import sys

OPERATIONS = {"uppercase": str.upper, "lowercase": str.lower, "title": str.title}


def transform_data(inputs):
    items = inputs.get("items", [])
    operation = inputs.get("operation", "uppercase")
    if operation not in OPERATIONS:
        raise ValueError(f"Unknown operation: {operation}")
    if not all(isinstance(item, str) for item in items):
        raise ValueError("items must be a list of strings")
    transformed = [OPERATIONS[operation](item) for item in items]
    return {"success": True, "transformed": transformed, "count": len(transformed)}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(transform_data(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
