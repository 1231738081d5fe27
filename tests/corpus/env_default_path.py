"""A container step that reads its settings from a file named by the environment, with the
path it has in the image as the default: a run's environment does not set the variable, so
the default is opened, and it is outside the project (SCR301). A default inside the
project, and a look-up without a default, are fine."""
# corpus-inputs: {}
import json
import os
import sys
from pathlib import Path

SETTINGS = os.environ.get("STEP_SETTINGS", "/etc/step/settings.json")  # expect: SCR301
TOKEN = Path(os.getenv("STEP_TOKEN", default="/var/run/secrets/step/token"))  # expect: SCR301
LOCAL = os.environ.get("STEP_LOCAL", "config/local.json")
EXTRA = os.environ.get("STEP_EXTRA")


def load(inputs: dict) -> dict:
    settings: dict = {}
    if inputs.get("settings"):
        with open(SETTINGS, encoding="utf-8") as handle:
            settings.update(json.load(handle))
    if inputs.get("token"):
        settings["token"] = TOKEN.read_text(encoding="utf-8").strip()
    if inputs.get("local"):
        with open(LOCAL, encoding="utf-8") as handle:
            settings.update(json.load(handle))
    if inputs.get("extra") and EXTRA:
        with open(EXTRA, encoding="utf-8") as handle:
            settings.update(json.load(handle))
    return settings


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        settings = load(inputs)
    except (OSError, ValueError) as exc:
        json.dump({"success": False, "error": str(exc)}, sys.stdout)
        sys.exit(1)
    json.dump({"success": True, "keys": sorted(settings)}, sys.stdout)


if __name__ == "__main__":
    main()
