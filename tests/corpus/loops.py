import json
import queue
import sys
import time


def poll(jobs):
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            return "drained"
        time.sleep(0.01)
        job.run()


def count_up():
    n = 0
    while True:
        n += 1
        if n > 100:
            break
    return n


def spin():
    ticks = 0
    while True:  # expect: SCR404
        ticks += 1
        time.sleep(0.1)


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw else {}
    try:
        total = count_up()
        if inputs.get("spin"):
            spin()
        print(json.dumps({"success": True, "total": total, "state": poll(queue.Queue())}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
