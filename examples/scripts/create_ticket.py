#!/usr/bin/env python3
"""Opens a support ticket: its id, creation time and duration change on every run."""
import json
import sys
import time
import uuid
from datetime import datetime, timezone

PRIORITIES = ("low", "normal", "high")


def create_ticket(inputs):
    started = time.perf_counter()
    title = inputs.get("title", "").strip()
    if not title:
        raise ValueError("title is required")
    priority = inputs.get("priority", "normal")
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {', '.join(PRIORITIES)}")
    ticket = {
        "id": str(uuid.uuid4()),
        "title": title,
        "priority": priority,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    took_ms = (time.perf_counter() - started) * 1000
    return {"success": True, "ticket": ticket, "took_ms": took_ms}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps(create_ticket(inputs)))
        sys.exit(0)
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc), "error_type": type(exc).__name__}))
        sys.exit(1)
