"""A script that needs a third-party package says so, as its JSON error, when the package is
missing: the `try` around the import and its exit sit at module level, where imports belong,
and run on import only when the script could not run anyway. The work is under the guard."""
import json
import sys

try:
    import yaml
except ImportError:
    print(json.dumps({"success": False, "error": "PyYAML is not installed"}))
    sys.exit(1)


def main() -> None:
    inputs = json.loads(sys.stdin.read() or "{}")
    try:
        document = yaml.safe_load(inputs.get("text", "")) or {}
    except yaml.YAMLError as exc:
        print(json.dumps({"success": False, "error": f"not YAML: {exc}"}))
        sys.exit(1)
    print(json.dumps({"success": True, "keys": sorted(document)}))


if __name__ == "__main__":
    main()
