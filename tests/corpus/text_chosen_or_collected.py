"""A scheduling hook that writes the changed task as JSON and then, on stdout too, the notes it
collected (`"; ".join(notes)`, every note an f-string), a mode line chosen between two texts
and a sum of texts: all are text after the JSON (SCR105). A list of JSON documents joined,
and the JSON chosen between two documents, are not text."""
# corpus-inputs: {"due": "2026-12-24T00:00:00", "verbose": true}
import json
import sys


def main() -> None:
    raw = sys.stdin.read()
    try:
        task = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        print(json.dumps({"success": False, "error": f"inputs are not JSON: {exc}"}))
        sys.exit(1)
    notes = []
    if str(task.get("due", "")).endswith("T00:00:00"):
        task["due"] = task["due"].replace("T00:00:00", "T23:59:59")
        notes.append(f"moved due to {task['due']}")
    if notes:
        task["changed"] = True
    print(json.dumps(task) if task.get("changed") else json.dumps({"unchanged": True}))
    print("; ".join(notes))  # expect: SCR105
    print("verbose mode" if task.get("verbose") else "quiet mode")  # expect: SCR105
    print("kept " + str(len(task)) + " keys")  # expect: SCR105
    if task.get("lines"):
        documents = [json.dumps({"keys": len(task)})]
        documents.append(json.dumps({"first": sorted(task)[0]}))
        print("\n".join(documents))


if __name__ == "__main__":
    main()
