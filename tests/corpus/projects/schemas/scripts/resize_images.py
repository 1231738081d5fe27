"""Resizes images: the parameters are typed with a TypedDict, and one read slipped past it."""
import json
import sys
from pathlib import Path
from typing import TypedDict


class ResizeParams(TypedDict, total=False):
    input_dir: str
    width: int
    height: int


def plan(params: ResizeParams) -> list:
    folder = Path(params.get("input_dir", "images"))
    quality = params.get("quality", 85)  # expect: SCR107
    size = (params.get("width", 800), params.get("height", 600))
    return [{"file": p.name, "size": size, "quality": quality} for p in sorted(folder.glob("*.png"))]


if __name__ == "__main__":
    try:
        params: ResizeParams = json.loads(sys.stdin.read() or "{}")
        print(json.dumps({"success": True, "planned": plan(params)}))
    except (OSError, ValueError) as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
