"""A packaging step that starts a bundler with Popen and polls it. One loop notes the time
only to say "still bundling" every half minute: the clock limits nothing, and the loop
waits as long as the bundler runs (SCR401). The other stops the bundler's process group
through a helper once its deadline has passed: a wait with a limit."""
# corpus-inputs: {"seconds": 20}
import json
import os
import signal
import subprocess
import sys
import time

BUNDLE = [sys.executable, "-c", "pass"]


def stop_group(child: subprocess.Popen) -> None:
    if hasattr(os, "killpg"):
        os.killpg(child.pid, signal.SIGTERM)
    else:
        child.terminate()


def bundle_chatty() -> int:
    bundler = subprocess.Popen(BUNDLE)
    noted = time.monotonic()
    while bundler.poll() is None:  # expect: SCR401
        now = time.monotonic()
        if now - noted > 30:
            print("still bundling", file=sys.stderr)
            noted = now
        time.sleep(0.05)
    return bundler.returncode


def bundle_within(seconds: float) -> int:
    bundler = subprocess.Popen(BUNDLE, start_new_session=True)
    deadline = time.monotonic() + seconds
    while bundler.poll() is None:
        late = time.monotonic() > deadline
        if late:
            stop_group(bundler)
        time.sleep(0.05)
    return bundler.returncode


def main() -> None:
    raw = sys.stdin.read()
    try:
        inputs = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        json.dump({"success": False, "error": f"inputs are not JSON: {exc}"}, sys.stdout)
        sys.exit(1)
    seconds = float(inputs.get("seconds", 20))
    code = bundle_chatty() if inputs.get("chatty") else bundle_within(seconds)
    json.dump({"success": code == 0, "code": code}, sys.stdout)
    sys.exit(0 if code == 0 else 1)


if __name__ == "__main__":
    main()
