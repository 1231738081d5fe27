"""A runner imported from outside the project proves nothing: it cannot be followed."""
from vendor_sdk.runner import run_step


def step(inputs):
    return {"success": True, "echo": inputs}


if __name__ == "__main__":  # expect: SCR101, SCR104
    run_step(step)
