"""A handler chosen by a function that returns it: what is returned, or looped over, may run."""
import sys

from io_helpers import emit, read_inputs


def greet(inputs):
    emit({"success": True, "greeting": "Hi " + str(inputs.get("name", ""))})


def audit(inputs):
    print(f"{len(inputs)} keys", file=sys.stderr)


def pick(name):
    return greet if name == "greet" else None


if __name__ == "__main__":
    payload = read_inputs()
    for check in (audit,):
        check(payload)
    pick(sys.argv[1] if len(sys.argv) > 1 else "greet")(payload)
