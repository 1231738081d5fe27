"""A launcher step lists the folders it is given and shows each path with the home folder
written as `~`: the home directory's text only shortens a path for display (no SCR304).
Moving a file into the home folder with `Path.replace(target)` keeps it there (SCR304)."""
# corpus-inputs: {}
import json
import os
import sys
from pathlib import Path


def shown(path: str) -> str:
    home = os.path.expanduser("~")
    if path.startswith(home):
        return path.replace(home, "~", 1)
    return path


def archive(report: Path) -> None:
    report.replace(Path.home() / report.name)  # expect: SCR304


def main() -> None:
    inputs = json.loads(sys.stdin.read() or "{}")
    folders = [str(folder) for folder in inputs.get("folders", [])]
    items = [{"title": os.path.basename(f), "subtitle": shown(f)} for f in folders]
    subtitles = [item["subtitle"].removeprefix(os.path.expanduser("~")) for item in items]
    if inputs.get("archive"):
        archive(Path("reports") / "last.json")
    json.dump({"success": True, "items": items, "short": subtitles}, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError) as exc:
        print(json.dumps({"success": False, "error": f"{type(exc).__name__}: {exc}"}))
        sys.exit(1)
