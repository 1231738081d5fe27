"""A notification hook that must never break the tool call it follows: the parse has no
`try` of its own, but the only call of `main()` sits in one whose `except Exception:`
recovers (the run ends quietly with exit 0). An empty stdin is handled there, so SCR103
is silent; a parse in a function also used elsewhere is not (see the control)."""
import json
import sys


def main() -> None:
    event = json.load(sys.stdin)
    path = (event.get("tool_input") or {}).get("file_path", "")
    if path.endswith(".lock"):
        print(json.dumps({"note": f"{path} is generated; edit its source instead"}))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        pass
