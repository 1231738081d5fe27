"""A report filter that hands stdin to its own function, which reads a header of settings
and then the JSON body. The stream is read by the script's own code, whose handlers the
rule already counts: there are none, so a body that is not JSON ends the run with a
traceback and no JSON (SCR202)."""
# corpus-inputs: {}
import json
import sys


def totals(stream):
    settings = {}
    body = ""
    in_header = True
    for line in stream:
        if in_header and line.strip() and ":" in line:
            key, _, value = line.partition(":")
            settings[key.strip()] = value.strip()
        else:
            in_header = False
            body += line
    entries = json.loads(body or "[]")  # expect: SCR202
    return {"success": True, "count": len(entries), "settings": settings}


if __name__ == "__main__":
    print(json.dumps(totals(sys.stdin)))
