"""Syncs tags: a pydantic model validates the job, and the flag beside it is read raw."""
import json
import sys

from pydantic import BaseModel, ValidationError


class Job(BaseModel):
    repository: str
    tags: list[str] = []


def main() -> None:
    try:
        inputs = json.loads(sys.stdin.read() or "{}")
        job = Job.model_validate(inputs)
        dry_run = bool(inputs.get("dry_run", False))  # expect: SCR107
        planned = [f"{job.repository}:{tag}" for tag in job.tags]
        print(json.dumps({"success": True, "dry_run": dry_run, "planned": planned}))
    except ValidationError as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
