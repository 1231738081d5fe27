import json
import sys


class Job:
    def __init__(self, inputs):
        self.inputs = inputs

    def run(self):
        return {"success": True, "size": len(self.inputs)}

    def report(self, payload):
        print(json.dumps(payload))


if __name__ == "__main__":
    raw = sys.stdin.read()
    job = Job(json.loads(raw) if raw.strip() else {})
    try:
        job.report(job.run())
    except Exception as exc:
        job.report({"success": False, "error": str(exc)})
        sys.exit(1)
