"""A run the sandbox made fail says so: `run` and `test` print, below the script's stderr,
the reason the editor adds to the run's diagnostic (which protection refused what, and the
setting that allows it). A failure of the script's own, in the same words, gets none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

WRITES_OUTSIDE = """
import json, sys
json.load(sys.stdin)
open({path!r}, "w").write("x")
print(json.dumps({{"success": True}}))
"""
CONNECTS = """
import json, socket, sys
json.load(sys.stdin)
socket.create_connection(("127.0.0.1", 9), timeout=2)
print(json.dumps({"success": True}))
"""
# The same words as a refused socket, raised by the script itself: only the protections the
# run had can make them the sandbox's doing.
SAYS_NO_SOCKET = """
import json, sys
json.load(sys.stdin)
raise OSError(1, "Operation not permitted (socket)")
"""
NO_NETWORK = "[sandbox]\nnetwork = false\n"
NETWORK_HINT = "hint: the sandbox refused it: the project's runs have no network"


def run(project: Project, script: str) -> str:
    done = scriptcontract("run", script, "--root", str(project.root), "--inputs", "{}")
    assert done.returncode == 1, done.stderr
    return done.stderr


def test_a_write_outside_the_project_says_the_sandbox_refused_it(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside" / "written.txt"
    outside.parent.mkdir()
    project.write("scripts/writes.py", WRITES_OUTSIDE.format(path=str(outside)))
    stderr = run(project, "scripts/writes.py")
    assert "PermissionError" in stderr
    assert (
        f"hint: the sandbox refused it: {outside} is outside the project "
        "(sandbox.read-paths and write-paths allow more)"
    ) in stderr
    assert not outside.exists()


@pytest.mark.parametrize(
    ("inside", "hinted"), [(True, False), (False, True)], ids=["inside", "outside"]
)
def test_a_denied_path_inside_the_project_is_not_blamed_on_its_bounds(
    project: Project, tmp_path: Path, inside: bool, hinted: bool
) -> None:
    # The script's own PermissionError, in the words of a refused open: inside the project
    # the bounds cannot be why (a file's mode, say); outside (the control) they are.
    named = project.root / "data" / "in.txt" if inside else tmp_path / "in.txt"
    project.write(
        "scripts/denied.py",
        f"import json, sys\njson.load(sys.stdin)\n"
        f"raise PermissionError(13, 'Permission denied', {str(named)!r})\n",
    )
    stderr = run(project, "scripts/denied.py")
    assert f"Permission denied: '{named}'" in stderr
    assert ("hint: the sandbox refused it" in stderr) is hinted, stderr


@pytest.mark.parametrize(
    ("config", "script", "hinted"),
    [
        (NO_NETWORK, CONNECTS, True),
        (NO_NETWORK, SAYS_NO_SOCKET, True),  # the hint reads the shape only
        ("", SAYS_NO_SOCKET, False),  # the network on: the script's own words
    ],
    ids=["socket-refused", "same-words-network-off", "same-words-network-on"],
)
def test_a_refused_socket_says_the_network_is_off(
    project: Project, config: str, script: str, hinted: bool
) -> None:
    project.write("scriptcontract.toml", config)
    project.write("scripts/connects.py", script)
    stderr = run(project, "scripts/connects.py")
    assert "Operation not permitted" in stderr
    assert (f"{NETWORK_HINT} (sandbox.network = false)" in stderr) is hinted, stderr


def test_a_failed_case_says_why_the_sandbox_refused_it(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    project.write("scripts/writes.py", WRITES_OUTSIDE.format(path=str(outside)))
    project.write(
        "scripts/writes.cases.json",
        '{"cases": [{"name": "writes", "inputs": {}, "expect": {"output": {"success": true}}}]}',
    )
    done = scriptcontract("test", "scripts/writes.py", cwd=project.root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"hint: the sandbox refused it: {outside} is outside the project" in done.stdout


SCRIPT_HEAD = "import json, os, sys, threading, time\njson.load(sys.stdin)\n"


@pytest.mark.parametrize(
    ("config", "body", "hint"),
    [
        ("", "bytearray(64 * 1024 ** 3)\n", "the sandbox limits each process's memory"),
        (
            "[sandbox]\nfile-size-mb = 1\n",
            "open('scripts/big.bin', 'wb').write(b'x' * 2 * 1024 ** 2)\n",
            "the sandbox limits the size of a file a run writes: sandbox.file-size-mb",
        ),
        (
            "",
            # 64 MiB stacks: the 2 GiB address space holds fewer than 32, long before the
            # executor's 512 threads
            "threading.stack_size(64 * 1024 ** 2)\n"
            "[threading.Thread(target=time.sleep, args=(2,)).start() for _ in range(64)]\n",
            "the sandbox limits each process's memory, the threads' stacks included",
        ),
        (
            "",
            "open(os.path.expanduser('~/.gitconfig'))\n",
            "a run's home and temp folder are its own, empty at the start, not yours",
        ),
        (
            "",
            "open('data/missing.csv')\n",
            "no such file: data/missing.csv (a relative path starts at the project root)",
        ),
        ("", "raise KeyError('name')\n", None),  # the script's own failure: no hint
    ],
    ids=["memory", "file-size", "threads", "home", "relative-path", "own-failure"],
)
def test_a_limit_or_a_private_folder_that_made_a_run_fail_is_named(
    project: Project, config: str, body: str, hint: str | None
) -> None:
    project.write("scriptcontract.toml", config)
    project.write("scripts/job.py", SCRIPT_HEAD + body)
    stderr = run(project, "scripts/job.py")
    assert "Traceback" in stderr
    hints = [line for line in stderr.splitlines() if line.startswith("hint: ")]
    if hint is None:
        assert hints == [], stderr
    else:
        assert len(hints) == 1, stderr
        assert hint in hints[0], stderr


def test_a_run_the_executor_stopped_says_stopped_not_exit_none(project: Project) -> None:
    project.write(
        "scripts/forks.py",
        SCRIPT_HEAD
        + "import subprocess\n"
        + "[subprocess.Popen(['sleep', '30']) for _ in range(100)]\n"
        # Still running when the executor counts: ended first, a fast start had no stop to
        # report (seen in CI).
        + "time.sleep(30)\n",
    )
    stderr = run(project, "scripts/forks.py")
    assert "✗ failed (stopped, " in stderr, stderr
    assert "more than 64 processes" in stderr
    assert "exit None" not in stderr


def test_the_json_report_of_a_case_holds_the_hint(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    project.write("scripts/writes.py", WRITES_OUTSIDE.format(path=str(outside)))
    project.write("scripts/greets.py", "import json, sys\njson.load(sys.stdin)\nprint('{}')\n")
    for name in ("writes", "greets"):
        project.write(
            f"scripts/{name}.cases.json",
            '{"cases": [{"name": "one", "inputs": {}, "expect": {"output": {"success": true}}}]}',
        )
    done = scriptcontract("test", "--format", "json", cwd=project.root)
    report = json.loads(done.stdout)
    hints = {
        Path(file["path"]).stem: [case["hint"] for case in file["cases"]]
        for file in report["files"]
    }
    assert hints["writes.cases"] == [
        f"the sandbox refused it: {outside} is outside the project "
        "(sandbox.read-paths and write-paths allow more)"
    ]
    assert hints["greets.cases"] == [None]  # failed too (no success key), not the sandbox's doing
