"""What ordinary scripts do still works inside the sandbox, network or not."""

from __future__ import annotations

import pytest

from scriptcontract.executor import SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

EVERYDAY = """
import asyncio, hashlib, json, locale, os, subprocess, sys, tempfile, threading, time
import datetime, decimal, random, ssl, sqlite3, uuid, zoneinfo

data = json.load(sys.stdin)
with tempfile.TemporaryDirectory() as scratch:
    path = os.path.join(scratch, "notes.txt")
    with open(path, "w") as handle:
        handle.write("notes")
    with open(path) as handle:
        notes = handle.read()

results = []
threads = [threading.Thread(target=results.append, args=(n * n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

child = subprocess.run(
    [sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"],
    input="shout", capture_output=True, text=True, timeout=5,
)
listing = subprocess.run(["ls", "."], capture_output=True, text=True, timeout=5)

async def gather():
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "print(42)",
                                                stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    await asyncio.sleep(0.01)
    return int(out)

db = sqlite3.connect(os.path.join(tempfile.gettempdir(), "db.sqlite"))
db.execute("create table t (x)")
db.execute("insert into t values (1)")

print(json.dumps({
    "success": True,
    "name": data["name"],
    "notes": notes,
    "squares": sorted(results),
    "child": child.stdout.strip(),
    "ls_ok": listing.returncode == 0,
    "async": asyncio.run(gather()),
    "sha": hashlib.sha256(b"x").hexdigest()[:8],
    "tls": ssl.create_default_context().verify_mode == ssl.CERT_REQUIRED,
    "rows": db.execute("select count(*) from t").fetchone()[0],
    "utc": datetime.datetime.now(zoneinfo.ZoneInfo("UTC")).tzname(),
    "uuid": len(str(uuid.uuid4())),
    "cpus": os.cpu_count() is not None,
    "home": os.path.expanduser("~") == os.environ["HOME"],
}))
"""


@pytest.mark.parametrize("network", [True, False])
async def test_everyday_script_works_in_the_sandbox(
    project: Project, make_executor: MakeExecutor, network: bool
) -> None:
    project.write("scripts/everyday.py", EVERYDAY)
    (project.root / "data.txt").write_text("x")
    executor = make_executor(project.root, sandbox=SandboxPolicy(network=network))
    result = await executor.execute_script("scripts/everyday.py", {"name": "Lighthouse"})
    assert result.success, (result.error, result.stderr)
    assert result.output == {
        "success": True,
        "name": "Lighthouse",
        "notes": "notes",
        "squares": [0, 1, 4, 9],
        "child": "SHOUT",
        "ls_ok": True,
        "async": 42,
        "sha": "2d711642",
        "tls": True,
        "rows": 1,
        "utc": "UTC",
        "uuid": 36,
        "cpus": True,
        "home": True,
    }
