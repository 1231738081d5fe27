"""A hook whose stdin and stdout are handled by the project's decorator."""
from hooklib import hook


@hook
def main(payload):
    command = (payload.get("tool_input") or {}).get("command", "")
    return {"decision": "block" if "rm -rf" in command else "allow"}


if __name__ == "__main__":
    main()
