"""`check --watch`: the real command checks again when a script changes, and stops on Ctrl-C."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from tests.cli.test_check import GOOD, STRAY
from tests.conftest import Project
from tests.planted_links import plant_link_to_a_big_tree
from tests.procs import inotify_watches


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def _wait_for(lines: queue.Queue[str], text: str, seen: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"{text!r} not seen in {seen!r}")


def _start_watch(
    project: Project, *flags: str
) -> tuple[subprocess.Popen[str], queue.Queue[str], queue.Queue[str]]:
    """`check --watch` in the project, and the lines of its stdout and stderr as they come."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scriptcontract", "check", "--watch", *flags],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell ignores SIGINT in the commands it starts in the background, and an
        # ignored signal stays ignored across exec: give the command Ctrl-C back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None and process.stderr is not None
    threading.Thread(target=_lines, args=(process.stdout, out), daemon=True).start()
    threading.Thread(target=_lines, args=(process.stderr, err), daemon=True).start()
    return process, out, err


def test_watch_checks_again_on_change_and_stops_on_interrupt(project: Project) -> None:
    script = project.write("scripts/job.py", GOOD)
    process, out, err = _start_watch(project)
    seen: list[str] = []
    try:
        _wait_for(err, "1 script checked, no findings", seen)
        _wait_for(err, "watching for changes", seen)
        script.write_text(STRAY, encoding="utf-8")
        _wait_for(out, "scripts/job.py:7:5: SCR105", seen)
        _wait_for(err, "watching for changes", seen)
        # A new folder with a script in it at once (a checkout): the script is checked.
        project.write("scripts/more/other.py", STRAY)
        _wait_for(out, "scripts/more/other.py:7:5: SCR105", seen)
        _wait_for(err, "watching for changes", seen)
        # And the new folder is watched from then on.
        project.write("scripts/more/other.py", GOOD)
        _wait_for(err, "changed: other.py", seen)
        _wait_for(err, "watching for changes", seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        process.kill()
        process.wait(timeout=30)
    rest = "".join(seen) + "".join(iter_queue(err))
    assert "Traceback" not in rest


def test_watch_reads_a_config_file_again_when_it_changes_and_says_what_is_wrong_with_it(
    project: Project, tmp_path: Path
) -> None:
    project.write("scripts/job.py", STRAY)
    # Outside the project, and not a name the watch knows: only --config makes it watched.
    config = tmp_path / "elsewhere" / "ci.toml"
    config.parent.mkdir()
    config.write_text('ignore = ["SCR105"]\n', encoding="utf-8")
    process, out, err = _start_watch(project, "--config", str(config))
    seen: list[str] = []
    try:
        _wait_for(err, "1 script checked, no findings", seen)
        _wait_for(err, "watching for changes", seen)
        config.write_text("ignore = []\n", encoding="utf-8")
        _wait_for(err, "changed: ci.toml", seen)
        _wait_for(out, "scripts/job.py:7:5: SCR105", seen)
        _wait_for(err, "watching for changes", seen)
        # A configuration error is said, and the watch goes on.
        config.write_text("ignore = [\n", encoding="utf-8")
        _wait_for(err, "configuration error", seen)
        _wait_for(err, "watching for changes", seen)
        config.unlink()
        _wait_for(err, "configuration error: --config", seen)
        _wait_for(err, "watching for changes", seen)
        assert process.poll() is None, "the watch ended on a configuration error"
        # Fixed, it is read again: the positive control that the watch still follows it.
        config.write_text('ignore = ["SCR105"]\n', encoding="utf-8")
        _wait_for(err, "1 script checked, no findings", seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        process.kill()
        process.wait(timeout=30)
    assert "Traceback" not in "".join(seen) + "".join(iter_queue(err))


def iter_queue(lines: queue.Queue[str]) -> list[str]:
    items = []
    while not lines.empty():
        items.append(lines.get_nowait())
    return items


def test_watch_does_not_follow_a_symbolic_link_planted_in_the_project(
    project: Project, tmp_path: Path
) -> None:
    project.write("scripts/job.py", GOOD)
    plant_link_to_a_big_tree(project.root, tmp_path / "outside")  # with its positive control
    process = subprocess.Popen(
        [sys.executable, "-m", "scriptcontract", "check", "--watch"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    err: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    threading.Thread(target=_lines, args=(process.stderr, err), daemon=True).start()
    try:
        _wait_for(err, "watching for changes", [])
        assert 0 < inotify_watches(process.pid) < 20, inotify_watches(process.pid)
    finally:
        process.kill()
        process.wait(timeout=30)
