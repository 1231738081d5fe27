"""The scripts the tests of a planted `input-path-keys` run, through the CLI and the server."""

from __future__ import annotations

# Reads the file its input key `{key}` names (a template for `str.format`): a path key is
# refused before the run starts, any other key reaches the script.
READS = """
import json
import sys

inputs = json.loads(sys.stdin.read() or "{{}}")
with open(inputs[{key!r}]) as handle:
    handle.read(10)
print(json.dumps({{"success": True}}))
"""
ECHO = "import json, sys\nprint(json.dumps({'success': True, 'inputs': json.load(sys.stdin)}))\n"
