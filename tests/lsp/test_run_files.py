"""Project files a run reads through the server, when a script planted them.

A sidecar or inputs file may be a symlink to a secret outside the project, a traceback on
stderr may name a FIFO, a device or `/etc/shadow`, the script itself may be a FIFO. The
server reads only regular files inside the project, never blocks, and says why it refused.
Each refusal has its positive control: the same thing as a regular project file works.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session
from tests.time_limits import REQUEST_BOUND_S

RUN_SOURCE = "scriptcontract-run"
# A refusal or a run of these scripts takes well under a second on a quiet machine (far more
# on a loaded one); a FIFO read would block until the test's own timeout.
ANSWER_S = REQUEST_BOUND_S
SECRET = '{"token": "outside-secret"}'

SHOWS_INPUTS = """
import json
import sys

inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "seen": inputs}))
"""
# Writes a traceback of the frames it is given, as a script can, and fails.
FORGES_TRACEBACK = """
import json
import sys

inputs = json.load(sys.stdin)
frames = "".join(f'  File "{path}", line {line}, in f\\n' for path, line in inputs["frames"])
sys.stderr.write("Traceback (most recent call last):\\n" + frames + "ValueError: forged\\n")
sys.stderr.write("".join(f"{path}:1: note\\n" for path in inputs["located"]))
sys.exit(1)
"""
HELPER = "def helper():\n    return 1 / 0\n"
HELLO = 'import json\nprint(json.dumps({"success": True}))\n'


def run_args(session: Session, name: str, **extra: Any) -> dict[str, Any]:
    return {"uri": session.uri(name), **extra}


async def run(session: Session, name: str, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = await asyncio.wait_for(
        session.command("scriptcontract.run", run_args(session, name, **extra)), ANSWER_S
    )
    return result


async def keeps_serving(session: Session, name: str) -> None:
    """An ordinary run right after, on the same server."""
    hello = name.replace(".py", "_hello.py")
    session.write(hello, HELLO)
    assert (await run(session, hello))["output"] == {"success": True}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, with a secret the user would not hand to a script."""
    (tmp_path / "secret.json").write_text(SECRET)
    return tmp_path


async def test_a_sidecar_symlinked_out_of_the_project_never_reaches_the_script(
    lsp: Session, name: str, outside: Path
) -> None:
    lsp.open(name, SHOWS_INPUTS)
    sidecar = lsp.root / name.replace(".py", ".inputs.json")
    sidecar.symlink_to(outside / "secret.json")
    refused = await run(lsp, name)
    assert refused["success"] is False and refused["error_kind"] == "validation"
    assert "leads outside the project" in refused["error"]
    assert sidecar.name in refused["error"]
    assert "outside-secret" not in json.dumps(refused)
    # The positive control: the same JSON as a regular file inside reaches the script.
    sidecar.unlink()
    sidecar.write_text(SECRET)
    assert (await run(lsp, name))["output"]["seen"] == {"token": "outside-secret"}


async def test_an_inputs_file_in_the_project_is_read_as_a_project_file(
    lsp: Session, name: str, outside: Path
) -> None:
    lsp.open(name, SHOWS_INPUTS)
    folder = lsp.root / name.replace(".py", "_inputs")
    folder.symlink_to(outside)  # a folder of the project swapped for a link out
    relative = f"{folder.relative_to(lsp.root).as_posix()}/secret.json"
    refused = await run(lsp, name, inputsFile=relative)
    assert refused["success"] is False and "leads outside the project" in refused["error"]
    assert "outside-secret" not in json.dumps(refused)
    # A file the user names outside every project is theirs to name.
    named = await run(lsp, name, inputsFile=str(outside / "secret.json"))
    assert named["output"]["seen"] == {"token": "outside-secret"}


async def test_fifos_as_script_sidecar_or_inputs_file_are_refused_at_once(
    lsp: Session, name: str
) -> None:
    fifo_script = lsp.root / name.replace(".py", "_fifo.py")
    os.mkfifo(fifo_script)
    refused = await run(lsp, fifo_script.relative_to(lsp.root).as_posix())
    assert refused["success"] is False and "it is a FIFO" in refused["error"]
    with pytest.raises(JsonRpcException, match="FIFO"):
        await asyncio.wait_for(
            lsp.command("scriptcontract.inputsTemplate", {"uri": lsp.uri(str(fifo_script))}),
            ANSWER_S,
        )

    lsp.open(name, SHOWS_INPUTS)
    os.mkfifo(lsp.root / name.replace(".py", "_pipe.json"))
    pipe = name.replace(".py", "_pipe.json")
    refused = await run(lsp, name, inputsFile=pipe)
    assert "it is a FIFO" in refused["error"]
    os.mkfifo(lsp.root / name.replace(".py", ".inputs.json"))
    refused = await run(lsp, name)
    assert "it is a FIFO" in refused["error"]
    await keeps_serving(lsp, name)


async def test_a_forged_traceback_reads_only_regular_files_of_the_project(
    lsp: Session, name: str, outside: Path
) -> None:
    uri = lsp.open(name, FORGES_TRACEBACK)
    helper = lsp.write(name.replace(".py", "_helper.py"), HELPER)
    project_fifo = lsp.root / name.replace(".py", "_fifo.py")
    os.mkfifo(project_fifo)
    outside_fifo = outside / "fifo.py"
    os.mkfifo(outside_fifo)
    link_out = lsp.root / name.replace(".py", "_link.py")
    link_out.symlink_to(outside / "secret.json")
    named = [project_fifo, outside_fifo, outside / "secret.json", link_out, Path("/dev/zero")]
    frames: list[tuple[str, int | str]] = [(str(lsp.root / name), 1)]
    frames += [*((str(p), 1) for p in named), (str(helper), 2)]
    frames.append((str(helper), "9" * 5000))  # no line has that many digits
    result = await run(lsp, name, inputs={"frames": frames, "located": [str(project_fifo)]})
    assert result["success"] is False and result["exit_code"] == 1

    (on_script,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    assert "ValueError: forged" in on_script.message
    where = await _ranges(lsp, on_script, [helper, project_fifo])
    # The positive control: the project's regular file was read, its line's code marked.
    assert where[helper] == types.Range(
        start=types.Position(line=1, character=4),
        end=types.Position(line=1, character=len("    return 1 / 0")),
    )
    # The FIFO in the project is named (the frame is there) but never read: column 0.
    origin = types.Position(line=0, character=0)
    assert where[project_fifo] == types.Range(start=origin, end=origin)
    # Nothing outside the project got anything.
    related = [r.location.uri for r in on_script.related_information or []]
    for path in (outside_fifo, outside / "secret.json", link_out, Path("/dev/zero")):
        assert not lsp.client.published.get(lsp.uri(str(path))), path
        assert lsp.uri(str(path)) not in related
    await keeps_serving(lsp, name)


async def _ranges(
    lsp: Session, on_script: types.Diagnostic, paths: list[Path]
) -> dict[Path, types.Range]:
    """Where the run marked each file: its own diagnostic where the client is sent those of
    files it has not opened (push), else the script diagnostic's related location."""
    found: dict[Path, types.Range] = {}
    for path in paths:
        if lsp.pulls:
            (frame,) = [
                r.location.range
                for r in on_script.related_information or []
                if r.location.uri == lsp.uri(str(path))
            ]
            found[path] = frame
        else:
            (diagnostic,) = await lsp.diagnostics(lsp.uri(str(path)), source=RUN_SOURCE)
            found[path] = diagnostic.range
    return found


async def test_a_traceback_naming_one_big_file_thousands_of_times_reads_it_once(
    lsp: Session, name: str
) -> None:
    # 5,000 frames (most of 1 MiB of stderr) naming a 4 MiB module: read once per frame, that
    # was 20 GB of reading in the server before it could answer.
    uri = lsp.open(name, FORGES_TRACEBACK)
    big = lsp.write(name.replace(".py", "_big.py"), HELPER + "# padding\n" * 400_000)
    frames = [(str(lsp.root / name), 1), *[(str(big), 2)] * 5_000]
    result = await run(lsp, name, inputs={"frames": frames, "located": []})
    assert result["success"] is False and result["exit_code"] == 1
    (on_script,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    assert "ValueError: forged" in on_script.message
    await keeps_serving(lsp, name)


async def test_create_inputs_never_writes_through_a_link_out_of_the_project(
    lsp: Session, name: str, outside: Path
) -> None:
    # A dangling link planted as the sidecar: the editor would create its target outside.
    lsp.open(name, SHOWS_INPUTS)
    sidecar = lsp.root / name.replace(".py", ".inputs.json")
    sidecar.symlink_to(outside / "planted.json")
    with pytest.raises(JsonRpcException, match="leads outside the project: not created"):
        await asyncio.wait_for(
            lsp.command("scriptcontract.createInputs", {"uri": lsp.uri(name)}), ANSWER_S
        )
    assert not (outside / "planted.json").exists()
    # The positive control: without the link, the editor creates the sidecar.
    sidecar.unlink()
    answer = await lsp.command("scriptcontract.createInputs", {"uri": lsp.uri(name)})
    assert answer["created"] is True and sidecar.is_file()


async def test_an_inputs_file_that_cannot_be_used_is_named_from_the_project_folder(
    lsp: Session, name: str, outside: Path
) -> None:
    """The outcome is one line in an editor (status bar, code lens, Neovim's message): an
    absolute path there left no room for the file's name."""
    lsp.open(name, SHOWS_INPUTS)
    missing = "nowhere/gone.json"  # short: the outcome keeps a line's worth
    refused = await run(lsp, name, inputsFile=missing)
    assert refused["error"].startswith(f"Not run: cannot read the inputs file {missing}: ")
    assert missing in refused["outcome"] and str(lsp.root) not in refused["outcome"]
    sidecar = lsp.root / name.replace(".py", ".inputs.json")
    sidecar.write_text("[1, 2]")
    refused = await run(lsp, name)
    assert f"{sidecar.name} must hold a JSON object, not list" in refused["error"]
    assert str(lsp.root) not in refused["error"]
    # A file outside every project keeps the name the user gave it.
    (outside / "broken.json").write_text("{oops")
    refused = await run(lsp, name, inputsFile=str(outside / "broken.json"))
    assert f"{outside / 'broken.json'} is not valid JSON" in refused["error"]
