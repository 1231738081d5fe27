"""A step that looks for the project's marker file in the folder it is given and its
parents, stopping at the home directory: `Path.home()` is only compared, nothing is kept
or read there (no SCR304). The same step's note kept under the home folder is state that
the next run will not find (SCR304)."""
# corpus-inputs: {}
import json
import sys
from pathlib import Path


def find_marker(start: Path) -> Path | None:
    folder = start.resolve()
    while folder != Path.home() and folder.parent != folder:
        if (folder / "pyproject.toml").exists():
            return folder
        folder = folder.parent
    return None


def top_of(start: Path) -> Path:
    home = Path.home()
    folder = start.resolve()
    while folder.parent not in (home, home.parent, folder):
        folder = folder.parent
    return folder


def remember(root: Path) -> None:
    home = Path.home()  # expect: SCR304
    if root != home:
        (home / ".last-root").write_text(str(root), encoding="utf-8")


def main() -> None:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs: {exc}"}))
        raise SystemExit(1) from exc
    start = Path(inputs.get("folder", "."))
    root = find_marker(start)
    if inputs.get("remember") and root is not None:
        remember(root)
    json.dump({"success": True, "root": str(root), "top": str(top_of(start))}, sys.stdout)


if __name__ == "__main__":
    main()
