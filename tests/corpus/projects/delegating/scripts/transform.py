"""A project helper reads the inputs and prints the result: the analysis follows it there."""
from common.contract import run_script


def transform(inputs):
    return {"success": True, "items": [i.upper() for i in inputs.get("items", [])]}


if __name__ == "__main__":
    run_script(transform)
