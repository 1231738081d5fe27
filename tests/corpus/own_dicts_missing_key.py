"""The control: the same kind of table, but one lookup asks for a key the table may not
hold (it is emptied on one path), and another for a key it never had: both may raise."""
import argparse
import json

GROUPS = {"web": {"hosts": ["w1"]}, "db": {"hosts": ["d1"]}}


def pick(name: str) -> list[str]:
    table = {"web": {"hosts": ["w1"]}}
    if name == "none":
        table = {}
    return table["web"]["hosts"] + GROUPS["cache"]["hosts"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", default="web")
    options = parser.parse_args()
    print(json.dumps({"hosts": pick(options.group)}))


if __name__ == "__main__":  # expect: SCR101, SCR202
    main()
