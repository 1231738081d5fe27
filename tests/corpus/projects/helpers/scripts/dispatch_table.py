"""A handler picked from a table by name: what the table names may run, and writes the result."""
import sys

from io_helpers import emit, read_inputs


def greet(inputs):
    emit({"success": True, "greeting": "Hi " + str(inputs.get("name", ""))})


HANDLERS = {"greet": greet}

if __name__ == "__main__":
    HANDLERS[sys.argv[1] if len(sys.argv) > 1 else "greet"](read_inputs())
