"""A task of a remote-execution tool written with its small helper library: the base
class's run() reads the parameters (JSON on stdin), calls the subclass's task() and prints
what it returns, or an error object with exit code 1. The script only fills in task()."""
import os
import sys

sys.path.append(os.path.join(os.path.dirname(__file__), "..", "..", "python_task_helper", "files"))
from task_helper import TaskHelper


class DiskUsage(TaskHelper):
    def task(self, args: dict) -> dict:
        path = args.get("path", ".")
        total = sum(entry.stat().st_size for entry in os.scandir(path) if entry.is_file())
        return {"path": path, "bytes": total}


if __name__ == "__main__":
    DiskUsage().run()
