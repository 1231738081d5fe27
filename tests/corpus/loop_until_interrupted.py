"""A route announcer for a routing daemon: it answers once and then waits, because the
daemon withdraws the route when the process ends. The wait only ends on Ctrl-C, which no
run receives: under the executor the loop lasts until the run is killed."""
import json
import sys
import time


def main() -> None:
    try:
        request = json.loads(sys.stdin.read() or "{}")
    except ValueError:
        print(json.dumps({"success": False, "error": "the request is not JSON"}))
        sys.exit(1)
    print(json.dumps({"success": True, "announced": request.get("prefix", "")}), flush=True)
    try:
        while True:  # expect: SCR404
            time.sleep(5)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
