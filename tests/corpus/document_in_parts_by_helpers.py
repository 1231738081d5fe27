"""A health endpoint that writes its JSON answer a piece at a time through three helpers of
its own: one opens the object, one writes each check (in a loop), one closes it. Together
they write one document; only the line printed before it is stray. A helper that is also
called outside the answer keeps its findings."""
import json
import sys


def open_answer(request_id: object) -> None:
    print("{")
    print(f'  "id": {json.dumps(request_id)},')
    print('  "checks": [')


def check_line(name: str, ok: bool, last: bool) -> None:
    separator = "" if last else ","
    print(f'    {{"name": {json.dumps(name)}, "ok": {json.dumps(ok)}}}{separator}')


def close_answer() -> None:
    print("  ]")
    print("}")


def note(done: int) -> None:
    print(f"ran {done} checks")  # expect: SCR105


def main() -> None:
    try:
        request = json.loads(sys.stdin.read() or "{}")
    except ValueError:
        print(json.dumps({"success": False, "error": "the request is not JSON"}))
        sys.exit(1)
    checks = {"disk": True, "network": bool(request.get("online", True))}
    print("health report follows")  # expect: SCR105
    open_answer(request.get("id"))
    names = sorted(checks)
    for index, name in enumerate(names):
        check_line(name, checks[name], index == len(names) - 1)
    note(len(names))
    close_answer()
    note(len(names))


if __name__ == "__main__":
    main()
