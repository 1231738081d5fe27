"""`read_project_file`: what a script can leave in the project never leads the reader out.

Each refusal beside its positive control: the same bytes as a regular file inside are read.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scriptcontract.project_files import (
    ProjectFileError,
    named_inside,
    read_named_file,
    read_project_file,
    read_project_text,
)

SECRET = b'{"token": "outside-secret"}'
# Reading a FIFO nobody writes to would block for good; a refusal comes at once.
PROMPT_S = 2.0


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`project/` (the root) beside `outside/secret.json`."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.json").write_bytes(SECRET)
    (tmp_path / "project" / "data").mkdir(parents=True)
    (tmp_path / "project" / "data" / "inputs.json").write_bytes(b'{"name": "inside"}')
    return tmp_path


def refusal(root: Path, path: str | Path) -> ProjectFileError:
    started = time.monotonic()
    with pytest.raises(ProjectFileError) as caught:
        read_project_file(root, path, max_bytes=1000)
    assert time.monotonic() - started < PROMPT_S
    assert str(caught.value).startswith("cannot read ")
    return caught.value


def test_a_regular_file_is_read_by_relative_or_absolute_name(tree: Path) -> None:
    root = tree / "project"
    assert read_project_file(root, "data/inputs.json", max_bytes=100) == b'{"name": "inside"}'
    absolute = root / "data" / "inputs.json"
    assert read_project_text(root, absolute, max_bytes=100) == '{"name": "inside"}'


def test_a_symlink_that_stays_inside_is_followed(tree: Path) -> None:
    root = tree / "project"
    (root / "alias.json").symlink_to("data/inputs.json")
    (root / "folder").symlink_to("data")
    assert read_project_file(root, "alias.json", max_bytes=100) == b'{"name": "inside"}'
    assert read_project_file(root, "folder/inputs.json", max_bytes=100) == b'{"name": "inside"}'


def test_a_symlink_out_of_the_project_is_refused(tree: Path) -> None:
    root = tree / "project"
    (root / "inputs.json").symlink_to(tree / "outside" / "secret.json")
    (root / "shared").symlink_to(tree / "outside")
    for path in ("inputs.json", "shared/secret.json", root / "shared" / "secret.json"):
        error = refusal(root, path)
        assert error.reason == "a symbolic link in its path leads outside the project"
    # The positive control: the same bytes in a regular file inside are read.
    (root / "inputs.json").unlink()
    (root / "inputs.json").write_bytes(SECRET)
    assert read_project_file(root, "inputs.json", max_bytes=100) == SECRET


def test_a_path_outside_the_project_is_refused(tree: Path) -> None:
    root = tree / "project"
    for path in ("../outside/secret.json", tree / "outside" / "secret.json"):
        assert refusal(root, path).reason == "it is outside the project"


def test_a_fifo_is_refused_at_once(tree: Path) -> None:
    root = tree / "project"
    os.mkfifo(root / "data" / "pipe.json")
    assert refusal(root, "data/pipe.json").reason == "it is a FIFO (named pipe), not a regular file"
    (root / "via_link.json").symlink_to("data/pipe.json")
    assert "FIFO" in refusal(root, "via_link.json").reason


def test_sockets_and_folders_are_refused(tree: Path) -> None:
    root = tree / "project"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "data" / "socket.json"))
        assert refusal(root, "data/socket.json").reason == "it is a socket, not a regular file"
    assert refusal(root, "data").reason == "it is a directory, not a regular file"
    assert refusal(root, ".").reason == "it is the project folder, not a file"


def test_missing_too_large_and_undecodable_files_say_so(tree: Path) -> None:
    root = tree / "project"
    missing = refusal(root, "data/none.json")
    assert missing.missing and missing.reason == "it does not exist"
    (root / "big.json").write_bytes(b"x" * 1001)
    assert refusal(root, "big.json").reason == "it is larger than 1000 bytes"
    assert read_project_file(root, "big.json", max_bytes=1001) == b"x" * 1001
    (root / "latin1.json").write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(ProjectFileError, match=r"not UTF-8 text \(byte 0xe9 at offset 13\)"):
        read_project_text(root, "latin1.json", max_bytes=100)


@pytest.mark.parametrize("name", ["bad\0name", "lone-\ud800"])
def test_names_that_cannot_be_file_names_are_refused(tree: Path, name: str) -> None:
    error = refusal(tree / "project", name)
    assert "cannot be a file name" in error.reason
    str(error).encode("utf-8")  # the message itself can always be sent


def test_a_named_file_outside_may_be_a_symlink_but_must_be_regular(tree: Path) -> None:
    link = tree / "link.json"
    link.symlink_to(tree / "outside" / "secret.json")
    assert read_named_file(link, max_bytes=100) == SECRET
    os.mkfifo(tree / "pipe.json")
    with pytest.raises(ProjectFileError, match="FIFO"):
        read_named_file(tree / "pipe.json", max_bytes=100)


def test_named_inside_sees_folders_that_resolve_into_the_project(tree: Path) -> None:
    root = tree / "project"
    (tree / "door").symlink_to(root / "data")
    assert named_inside(root, root / "data" / "inputs.json")
    assert named_inside(root, tree / "door" / "inputs.json")
    assert not named_inside(root, tree / "outside" / "secret.json")


@pytest.fixture
def swapping(tree: Path) -> Iterator[Path]:
    """`project/d` flips between a folder holding `f.json` and a symlink to `outside/`,
    as a script still running (or another run) could make it do."""
    root = tree / "project"
    (root / "d").mkdir()
    (root / "d" / "secret.json").write_bytes(b'{"name": "inside"}')
    (root / "link").symlink_to(tree / "outside")
    stop = threading.Event()

    def swap() -> None:
        folder, link, held = root / "d", root / "link", root / "held"
        while not stop.is_set():
            os.rename(folder, held)
            os.rename(link, folder)
            os.rename(folder, link)
            os.rename(held, folder)

    thread = threading.Thread(target=swap)
    thread.start()
    try:
        yield root
    finally:
        stop.set()
        thread.join()


def _reads(read: Callable[[], bytes], seconds: float, stop_at_secret: bool) -> dict[str, int]:
    seen = {"inside": 0, "secret": 0, "refused": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            data = read()
        except (OSError, ValueError, ProjectFileError):
            seen["refused"] += 1
            continue
        seen["secret" if data == SECRET else "inside"] += 1
        if stop_at_secret and seen["secret"]:
            break
    return seen


def test_a_folder_swapped_for_a_symlink_while_reading_never_leads_out(swapping: Path) -> None:
    root = swapping

    def check_then_open() -> bytes:
        # What the server did before: resolve, check, then open by name.
        path = root / "d" / "secret.json"
        if not Path(os.path.realpath(path)).is_relative_to(root):
            raise ValueError("outside")
        return path.read_bytes()

    # The positive control: the race is real, the check-then-open reader loses it.
    assert _reads(check_then_open, 20.0, stop_at_secret=True)["secret"] >= 1
    seen = _reads(lambda: read_project_file(root, "d/secret.json", max_bytes=100), 2.0, False)
    assert seen["secret"] == 0 and seen["inside"] > 0, seen
