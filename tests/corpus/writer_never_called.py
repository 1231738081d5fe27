"""A bridge for a desktop mail client: it takes one request and hands it to a notes app.
A `send()` helper that would answer is kept from an older version, but nothing calls it any
more, so nothing reaches stdout and the caller waits for an answer that never comes."""
import json
import subprocess
import sys


def send(answer: dict) -> None:
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def main() -> None:
    request = json.loads(sys.stdin.read() or "{}")
    note = "\n".join(f"{key}: {value}" for key, value in request.items())
    try:
        subprocess.run(["notes-cli", "add"], input=note, text=True, check=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"notes-cli failed: {exc}", file=sys.stderr)
        sys.exit(1)  # expect: SCR204


if __name__ == "__main__":  # expect: SCR104
    main()
