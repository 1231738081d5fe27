"""Inputs and result through a helper module beside the script."""
import sys

from io_helpers import emit, read_inputs

if __name__ == "__main__":
    try:
        inputs = read_inputs()
        emit({"success": True, "size": len(inputs)})
    except Exception as exc:
        emit({"success": False, "error": str(exc)})
        sys.exit(1)
