"""Variables that share a module's name, and the console trick that runs no command.

`requests` here is a queue, not the HTTP library, and `os.system("")` only switches a
Windows console to ANSI colours: neither can hang.
"""
import json
import os
import queue
import sys
import threading

requests = queue.Queue()


def worker(results):
    while True:
        item = requests.get()
        if item is None:
            break
        results.append(item * 2)


if __name__ == "__main__":
    os.system("")
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}  # expect: SCR202
    results = []
    thread = threading.Thread(target=worker, args=(results,))
    thread.start()
    for value in inputs.get("values", []):
        requests.put(value)
    requests.put(None)
    thread.join(timeout=5)
    print(json.dumps({"success": True, "doubled": results}))
