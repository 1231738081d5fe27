"""A probe that writes its result, then prints the inputs it was given to see them in the
log: the inputs are a JSON object, so print() writes a dict's repr (single quotes, True)
after the document, which is stray output (SCR105). Their length, or the inputs encoded,
would be JSON-safe."""
import json
import sys


def main() -> None:
    try:
        params = json.loads(sys.stdin.read() or "{}")
        targets = params.get("targets", [])
        json.dump({"success": True, "count": len(targets)}, sys.stdout)
        print(params)  # expect: SCR105
        print(json.dumps(len(params)), file=sys.stderr)
    except ValueError as exc:
        json.dump({"success": False, "error": str(exc)}, sys.stdout)
        sys.exit(1)


if __name__ == "__main__":
    main()
