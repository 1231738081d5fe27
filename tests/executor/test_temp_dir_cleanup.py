"""A run's private temp dir is removed off the event loop.

A run may leave as many files in its temp dir as it can make before its timeout: about
100,000 in the default 30 s here. Their removal ran on the caller's event loop, which then
answered nothing for seconds (3.6 s for 100,000 files): the language server stopped linting
and answering while it lasted, every other run with it. The test watches the temp dir from
the same event loop while the executor removes it: it can see the removal half done only if
the loop kept running meanwhile (a removal that held the loop shows the folder full, then
gone).
"""

from __future__ import annotations

import asyncio
import os

from tests.conftest import Project
from tests.executor.conftest import MakeExecutor

FILES = 8000
SCRIPT = f"""
import json, os, sys, tempfile, time
sys.stdin.read()
folder = tempfile.gettempdir()
with open("data/temp-dir.txt", "w") as handle:
    handle.write(folder)
for number in range({FILES}):
    os.close(os.open(os.path.join(folder, str(number)), os.O_CREAT | os.O_WRONLY, 0o600))
open("data/all-made", "w").close()
# Ends only once the test has counted the full folder (a warm run ends within a few ms).
deadline = time.monotonic() + 20
while not os.path.exists("data/counted") and time.monotonic() < deadline:
    time.sleep(0.005)
print(json.dumps({{"success": True}}))
"""


def _count(folder: str) -> int | None:
    try:
        return len(os.listdir(folder))
    except FileNotFoundError:
        return None


async def test_the_event_loop_keeps_running_while_a_full_temp_dir_is_removed(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/fills_temp.py", SCRIPT)
    (project.root / "data").mkdir()
    executor = make_executor(project.root, default_timeout_ms=30000)
    run = asyncio.create_task(executor.execute_script("scripts/fills_temp.py"))
    made = project.root / "data" / "all-made"
    seen: list[int | None] = []
    counted = project.root / "data" / "counted"
    while not run.done():
        if made.exists():
            seen.append(_count((project.root / "data" / "temp-dir.txt").read_text()))
            counted.touch()  # the script may end: its folder was seen as it left it
        await asyncio.sleep(0.002)
    result = await run
    assert result.success, result.error
    assert result.cleanup_error is None
    # The positive control: the folder was seen full, so the watch ran before the removal.
    assert FILES in seen, seen[:5]
    assert _count((project.root / "data" / "temp-dir.txt").read_text()) is None
    half_done = [count for count in seen if count is not None and 0 < count < FILES]
    counts = sorted(set(seen), key=str)
    assert half_done, f"the loop never ran while {FILES} files were removed: {counts}"
