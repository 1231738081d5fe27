"""An inventory built from a table the script writes: every index is a key it put there
itself, or a lookup behind `if key in table:`. Nothing here can raise, so no error handling
is asked for (the arguments come from the command line, hence SCR101)."""
import argparse
import json


def build_inventory() -> dict[str, dict[str, object]]:
    inventory = {"all": {"hosts": []}, "_meta": {"hostvars": {}}}
    for number, name in enumerate(["alpha", "beta"]):
        inventory["all"]["hosts"].append(name)
        inventory["_meta"]["hostvars"][name] = {"address": "10.0.0.%d" % (number + 10)}
    return inventory


def answer(host: str | None) -> dict[str, object]:
    inventory = build_inventory()
    if host:
        if host in inventory["_meta"]["hostvars"]:
            return inventory["_meta"]["hostvars"][host]
        return {}
    return inventory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--host")
    options = parser.parse_args()
    print(json.dumps(answer(options.host)))


if __name__ == "__main__":  # expect: SCR101
    main()
