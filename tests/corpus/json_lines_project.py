# corpus-settings: {"output": "json-lines"}
"""An exporter whose project streams one JSON record per line: several documents are its
contract; text on stdout is still stray."""
import json
import sys

raw = sys.stdin.read()  # expect: SCR207
inputs = json.loads(raw) if raw.strip() else {}  # expect: SCR202
print(f"exporting {len(inputs)} records")  # expect: SCR105
for key, value in sorted(inputs.items()):
    print(json.dumps({"key": key, "value": value}))
print(json.dumps({"done": True, "count": len(inputs)}))
