"""A step that starts a converter with Popen and waits for it by polling: with no clock in
the loop it waits as long as the child runs, however long that is (SCR401), whether the
loop's test is the poll or a `while True:` left only when the child has ended. A loop with
a deadline that kills the child, and a watcher in a thread, are fine."""
# corpus-inputs: {}
import json
import subprocess
import sys
import threading
import time

CONVERT = [sys.executable, "-c", "pass"]


def convert_plain() -> int:
    child = subprocess.Popen(CONVERT)
    while child.poll() is None:  # expect: SCR401
        time.sleep(0.05)
    return child.returncode


def convert_streamed(lines: list[str]) -> int:
    child = subprocess.Popen(CONVERT, stdout=subprocess.PIPE, text=True)
    while True:  # expect: SCR401
        lines.append(child.stdout.readline() if child.stdout else "")
        if child.poll() is not None:
            break
    return child.returncode


def convert_with_deadline(seconds: float) -> int:
    worker = subprocess.Popen(CONVERT)
    started = time.monotonic()
    while worker.poll() is None:
        if time.monotonic() - started > seconds:
            worker.kill()
            break
        time.sleep(0.05)
    return worker.wait(timeout=seconds)


def convert_watched(seen: list[float]) -> int:
    job = subprocess.Popen(CONVERT)

    def sample() -> None:
        while job.poll() is None:
            seen.append(time.process_time())
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    return job.wait(timeout=30)


def read_inputs() -> dict:
    text = sys.stdin.read().strip()
    if not text:
        return {}
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        sys.stdout.write(json.dumps({"success": False, "error": f"bad inputs: {exc}"}))
        sys.exit(1)


def main() -> None:
    inputs = read_inputs()
    lines: list[str] = []
    seen: list[float] = []
    mode = inputs.get("mode", "deadline")
    if mode == "plain":
        code = convert_plain()
    elif mode == "streamed":
        code = convert_streamed(lines)
    elif mode == "watched":
        code = convert_watched(seen)
    else:
        code = convert_with_deadline(30.0)
    json.dump({"success": code == 0, "lines": len(lines)}, sys.stdout)
    sys.exit(0 if code == 0 else 1)


if __name__ == "__main__":
    main()
