"""`write_project_file`: what a script can leave in the project never leads a write out.

Every file scriptcontract writes in a project (fixes, suppression comments, cases, schemas,
new scripts) goes through it. A run (or one still going, from the editor) can swap the file
or a folder above it for a symbolic link out of the project while the write is under way.
The writers before it resolved the path once and then wrote by name, so a link swapped in
at the right moment had them replace a file outside (the user's `~/.bashrc`, a module of
the interpreter's environment). Each test beside its positive control: the writer as it
was loses the same race, or the same write inside the project goes through.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scriptcontract.cases.files import CasesFileChanged, write_cases
from scriptcontract.check.fixer import FileChanged, write_atomically
from scriptcontract.project_files import ProjectFileError, read_project_file
from scriptcontract.project_writes import (
    ANYTHING,
    ProjectFileChanged,
    ProjectWriteError,
    remove_project_file,
    write_project_file,
)
from tests.interpreter import environment
from tests.time_limits import run_bound

INSIDE = b'{"cases": []}\n'
# Known to the run: a file it may read outside the project (a module of the interpreter's
# environment) holds the very bytes it left inside, so a content check cannot tell them.
VICTIM = INSIDE
PROMPT_S = 2.0
# How long a run swaps while the writer as it was is tried (it lost within a second here).
SWAP_S = 15.0

Writer = Callable[[Path, Path, bytes], None]


# A run of the user's project: it flips `data/d` (the folder) or `data/d/a.cases.json` (the
# file) between itself and a symbolic link into the folder outside, for `seconds`, as a
# script still running from the editor could while the user accepts a case or fixes a file.
# The sandbox lets it make a link whatever it names; only following it is refused.
SWAPPER = """
import json, os, sys, time
what, outside, seconds, inside = json.load(sys.stdin)["args"]
d = "data/d"
open("data/swapping", "w").close()
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and not os.path.exists("data/stop"):
    if what == "folder":
        os.symlink(outside, "data/link")
        os.rename(d, "data/held")
        os.rename("data/link", d)
        os.rename(d, "data/link")
        os.rename("data/held", d)
        os.unlink("data/link")
    else:
        os.symlink(os.path.join(outside, "a.cases.json"), d + "/new-link")
        os.replace(d + "/new-link", d + "/a.cases.json")
        with open(d + "/new-file", "w") as handle:
            handle.write(inside)
        os.replace(d + "/new-file", d + "/a.cases.json")
print(json.dumps({"swapped": True}))
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`project/data/d/a.cases.json` beside `outside/a.cases.json` (the user's file)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.cases.json").write_bytes(VICTIM)
    (tmp_path / "project" / "data" / "d").mkdir(parents=True)
    (tmp_path / "project" / "data" / "d" / "a.cases.json").write_bytes(INSIDE)
    (tmp_path / "project" / "scriptcontract.toml").write_text("")
    (tmp_path / "project" / "scripts").mkdir()
    (tmp_path / "project" / "scripts" / "swap.py").write_text(SWAPPER)
    return tmp_path


def _outside_state(tree: Path) -> list[tuple[str, int, bytes]]:
    folder = tree / "outside"
    return sorted((p.name, p.lstat().st_ino, p.read_bytes()) for p in folder.iterdir())


@contextlib.contextmanager
def _swapping(tree: Path, what: str, seconds: float) -> Iterator[None]:
    """A real sandboxed run (`scriptcontract run`) swapping `what` for `seconds`."""
    root = tree / "project"
    marker = root / "data" / "swapping"
    inputs = json.dumps({"args": [what, str(tree / "outside"), seconds, INSIDE.decode()]})
    run = subprocess.Popen(
        [sys.executable, "-m", "scriptcontract", "run", "scripts/swap.py", "--inputs", inputs],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(dict(os.environ)),
    )
    try:
        started = time.monotonic()
        while not marker.exists():
            assert run.poll() is None and time.monotonic() - started < 30, run.communicate()
            time.sleep(0.01)
        yield
    finally:
        (root / "data" / "stop").touch()
        out, err = run.communicate(timeout=run_bound(int(seconds * 1000) + 30_000))
        marker.unlink()
        (root / "data" / "stop").unlink()
    assert run.returncode == 0 and '"swapped": true' in out, (out, err)


def _writes(tree: Path, write: Writer, seconds: float, stop_when_out: bool) -> dict[str, int]:
    """Read the cases file as the callers do, then write the bytes read back, again and
    again; how many went through, were refused, and whether the outside changed."""
    root = tree / "project"
    path = root / "data" / "d" / "a.cases.json"
    before = _outside_state(tree)
    seen = {"written": 0, "refused": 0, "out": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            original = read_project_file(root, path, max_bytes=1000)
            write(root, path, original)
        except (OSError, ValueError, ProjectFileError, CasesFileChanged, FileChanged):
            seen["refused"] += 1
        else:
            seen["written"] += 1
        if _outside_state(tree) != before:
            seen["out"] += 1
            if stop_when_out:
                break
    return seen


def _old_write(real: str, original: bytes, still: Callable[[], bool]) -> None:
    """Both writers as they were: the path resolved once, then written by that name."""
    fd, temporary = tempfile.mkstemp(prefix=".scriptcontract-", dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(original)
            handle.flush()
            os.fsync(handle.fileno())
        if not still():
            raise ValueError("changed")
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _old_write_cases(root: Path, path: Path, original: bytes) -> None:
    """`write_cases`: checked as a project file, then resolved."""

    def still() -> bool:
        return read_project_file(root, path, max_bytes=1000) == original

    if not still():
        raise ValueError("changed")
    _old_write(os.path.realpath(path), original, still)


def _old_check_fix(root: Path, path: Path, original: bytes) -> None:
    """`check --fix`: resolved, then compared."""
    real = os.path.realpath(path)
    if Path(real).read_bytes() != original:
        raise ValueError("changed")
    _old_write(real, original, lambda: Path(real).read_bytes() == original)


def _cases(root: Path, path: Path, original: bytes) -> None:
    write_cases(root, path, original, original.decode())


def _check_fix(root: Path, path: Path, original: bytes) -> None:
    write_atomically(str(path), original, original, str(root))


@pytest.mark.parametrize("swapped", ["folder", "file"])
@pytest.mark.parametrize(
    ("writer", "old"),
    [(_cases, _old_write_cases), (_check_fix, _old_check_fix)],
    ids=["cases file (accept, save a case, test --update)", "check --fix, --add-noqa"],
)
def test_a_link_swapped_in_while_writing_never_leads_the_write_out(
    tree: Path, swapped: str, writer: Writer, old: Writer
) -> None:
    with _swapping(tree, swapped, SWAP_S):
        # The positive control: the race is real, the writer as it was loses it.
        control = _writes(tree, old, SWAP_S - 1, stop_when_out=True)
    assert control["out"] >= 1, control
    for stray in (tree / "outside").iterdir():
        stray.unlink()
    (tree / "outside" / "a.cases.json").write_bytes(VICTIM)
    with _swapping(tree, swapped, 3.0):
        seen = _writes(tree, writer, 2.0, stop_when_out=False)
    assert seen["out"] == 0 and seen["written"] > 0, seen


def test_a_write_through_a_link_inside_the_project_lands_on_its_target(tree: Path) -> None:
    root = tree / "project"
    (root / "alias.json").symlink_to("data/d/a.cases.json")
    write_project_file(root, "alias.json", b"new\n", expect=INSIDE, follow_link=True)
    assert (root / "data" / "d" / "a.cases.json").read_bytes() == b"new\n"
    assert (root / "alias.json").is_symlink()


def test_a_link_out_of_the_project_is_refused_and_its_target_left_alone(tree: Path) -> None:
    root = tree / "project"
    (root / "data" / "d" / "out.json").symlink_to(tree / "outside" / "a.cases.json")
    with pytest.raises(ProjectWriteError, match="leads outside the project"):
        write_project_file(root, "data/d/out.json", b"pwned\n", expect=VICTIM, follow_link=True)
    assert (tree / "outside" / "a.cases.json").read_bytes() == VICTIM
    # Not following the final link: refused all the same, never replaced by a file.
    with pytest.raises(ProjectWriteError, match="not written through"):
        write_project_file(root, "data/d/out.json", b"pwned\n", expect=VICTIM)
    assert (root / "data" / "d" / "out.json").is_symlink()
    assert [p.name for p in (tree / "outside").iterdir()] == ["a.cases.json"]


def test_replacing_anything_replaces_a_planted_link_instead_of_writing_through_it(
    tree: Path,
) -> None:
    root = tree / "project"
    planted = root / "data" / "d" / "x.schema.json"
    planted.symlink_to(tree / "outside" / "a.cases.json")
    write_project_file(root, planted, b"{}\n", expect=ANYTHING)
    assert not planted.is_symlink() and planted.read_bytes() == b"{}\n"
    assert (tree / "outside" / "a.cases.json").read_bytes() == VICTIM


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to /dev/zero"])
def test_what_is_not_a_regular_file_is_never_opened_nor_replaced(tree: Path, kind: str) -> None:
    root = tree / "project"
    path = root / "data" / "d" / "odd.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(ProjectWriteError):
        write_project_file(root, path, b"x", expect=b"", follow_link=kind == "link to /dev/zero")
    assert time.monotonic() - started < PROMPT_S
    info = path.lstat()
    assert not stat.S_ISREG(info.st_mode)
    # The control: a regular file with the bytes expected is replaced.
    (root / "data" / "d" / "plain.json").write_bytes(b"")
    write_project_file(root, root / "data" / "d" / "plain.json", b"x", expect=b"")
    assert (root / "data" / "d" / "plain.json").read_bytes() == b"x"


def test_a_huge_file_in_place_of_the_one_read_is_not_read_whole(tree: Path) -> None:
    root = tree / "project"
    huge = root / "data" / "d" / "a.cases.json"
    with open(huge, "wb") as handle:
        handle.truncate(8 * 1024**3)  # sparse: 8 GiB that cost no disk
    started = time.monotonic()
    with pytest.raises(ProjectFileChanged):
        write_project_file(root, huge, b"x", expect=INSIDE)
    assert time.monotonic() - started < PROMPT_S


def test_new_files_are_made_in_folders_made_without_following_links(tree: Path) -> None:
    root = tree / "project"
    write_project_file(root, root / "new" / "deep" / "x.py", b"x\n", expect=None, make_folders=True)
    assert (root / "new" / "deep" / "x.py").read_bytes() == b"x\n"
    with pytest.raises(ProjectFileChanged):
        write_project_file(root, root / "new" / "deep" / "x.py", b"y\n", expect=None)
    (root / "dangling.py").symlink_to(tree / "outside" / "made-by-us.py")
    with pytest.raises(ProjectFileChanged):
        write_project_file(root, root / "dangling.py", b"y\n", expect=None)
    assert not (tree / "outside" / "made-by-us.py").exists()
    remove_project_file(root, root / "new" / "deep" / "x.py")
    assert not (root / "new" / "deep" / "x.py").exists()
    remove_project_file(root, root / "data" / "d" / "gone.json")  # nothing there: nothing happens
