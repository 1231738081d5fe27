"""Runs from the editor: the command, its inputs, its result diagnostics, progress, cancel."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, capabilities_of
from tests.procs import is_alive

RUN_SOURCE = "scriptcontract-run"

HELLO = """
import json
import sys


def main(inputs):
    name = inputs.get("name", "World")
    return {"success": True, "message": f"Hello, {name}!"}


if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    print(json.dumps(main(inputs)))
"""
HELLO_ENTRY = 9
HELLO_ENTRY_TEXT = 'if __name__ == "__main__":'

ECHO = """
import json
import sys

inputs = json.load(sys.stdin)
count = inputs.get("count", 3)
label = inputs["label"]
print(json.dumps({"got": inputs}))
"""

# A cancelled run is answered and its script gone within this: far less than the run's own
# timeout (30 s, the default) that would end it otherwise, and room for a loaded machine
# (5 s was a bound on the machine, not on the server).
CANCEL_S = 15.0
PID_THEN_SLEEP = """
import json, os, sys, time
inputs = json.load(sys.stdin)
with open(inputs["pid_file"], "w") as handle:
    handle.write(str(os.getpid()))
while True:
    time.sleep(0.05)
"""


def inlay_hints(lsp: Session) -> bool:
    """Whether the profile declares inlay hints (all but the old VS Code one)."""
    text_document = capabilities_of(lsp.profile).text_document
    return text_document is not None and text_document.inlay_hint is not None


async def success_hints(lsp: Session, uri: str) -> list[types.InlayHint]:
    hints = await lsp.client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=10_000, character=0),
            ),
        )
    )
    return list(hints or [])


def run_args(session: Session, name: str, **extra: Any) -> dict[str, Any]:
    return {"uri": session.uri(name), **extra}


def is_gone(pid: int) -> bool:
    return not is_alive(pid)


async def wait_gone(pid: int, timeout: float = CANCEL_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_gone(pid):
            return True
        await asyncio.sleep(0.02)
    return False


async def wait_for_file(path: Path, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        await asyncio.sleep(0.02)
    raise AssertionError(f"{path} was never written")


async def test_a_run_returns_the_result_and_shows_the_success_beside_the_entry_line(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, HELLO)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={"name": "Ada"}))
    assert result["success"] is True
    assert result["output"] == {"success": True, "message": "Hello, Ada!"}
    assert result["exit_code"] == 0 and "execution_time_ms" in result
    assert result["outcome"].startswith("✓ ") and result["outcome"].endswith(" ms")
    # A success is not a problem: an inlay hint where the client shows them, else a hint.
    if inlay_hints(lsp):
        (hint,) = await success_hints(lsp, uri)
        assert hint.position == types.Position(line=HELLO_ENTRY, character=len(HELLO_ENTRY_TEXT))
        # Short: the mark says "success", the output follows (all of it in the tooltip).
        assert isinstance(hint.label, str)
        assert re.fullmatch(r'✓ \d+ ms → \{"message": "Hello, Ada!"\}', hint.label), hint.label
        assert hint.tooltip is not None and "Hello, Ada!" in str(hint.tooltip)
        assert [d for d in await lsp.shown(uri) if d.source == RUN_SOURCE] == []
    else:
        (diagnostic,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
        assert diagnostic.severity == types.DiagnosticSeverity.Hint
        assert diagnostic.range.start.line == HELLO_ENTRY
        assert diagnostic.message.startswith("✓") and "Hello, Ada!" in diagnostic.message


async def test_the_output_comes_as_text_too_with_its_keys_order_and_numbers_as_written(
    lsp: Session, name: str
) -> None:
    """Editors decode the answer in JavaScript or Lua: a 20-digit id loses digits, 6.0
    becomes 6, a Lua table has no order. The text the server adds keeps all of it."""
    written = '{"success": true, "total": 6.0, "id": 12345678901234567890, "10": "ten", "2": 2}'
    lsp.open(name, f"import sys\nprint({written!r} if sys.stdin.read() == '{{}}' else 'no')\n")
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is True, result
    assert result["output_text"] == json.dumps(json.loads(written), indent=2)
    assert '"total": 6.0,\n  "id": 12345678901234567890,\n  "10": "ten"' in result["output_text"]
    failed = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={"a": 1}))
    assert failed["output"] is None and "output_text" not in failed, failed


async def test_run_now_is_the_same_command_for_client_side_prompts(lsp: Session, name: str) -> None:
    lsp.open(name, HELLO)
    result = await lsp.command("scriptcontract.runNow", run_args(lsp, name, inputs={"name": "Bo"}))
    assert result["output"]["message"] == "Hello, Bo!"


async def test_an_exception_points_at_the_deepest_project_frame_in_its_own_file(
    lsp: Session, name: str
) -> None:
    helper = name.replace(".py", "_helper.py").replace("scripts/", "scripts/lib_")
    module = Path(helper).stem
    lsp.write(helper, 'def greet(inputs):\n    return {"hi": inputs["name"]}\n')
    uri = lsp.open(
        name,
        f"""
        import json
        import sys
        from {module} import greet

        inputs = json.load(sys.stdin)
        print(json.dumps(greet(inputs)))
        """,
    )
    helper_uri = lsp.open(helper)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is False and result["exit_code"] == 1
    assert result["error_type"] == "KeyError"
    (in_helper,) = await lsp.diagnostics(helper_uri, source=RUN_SOURCE)
    assert in_helper.severity == types.DiagnosticSeverity.Error
    assert in_helper.message == "KeyError: 'name'"
    assert in_helper.range.start == types.Position(line=1, character=4)
    (in_script,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    assert in_script.range.start.line == 5
    assert "KeyError: 'name'" in in_script.message and helper in in_script.message
    if lsp.profile != "emacs":  # the only profile without related information
        frames = [
            (r.location.uri, r.location.range.start.line)
            for r in in_helper.related_information or []
        ]
        assert frames == [(uri, 5), (helper_uri, 1)]


async def test_stderr_lines_that_point_into_the_project_become_hints(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(
        name,
        """
        import json
        import sys
        import warnings

        print("starting up", file=sys.stderr)
        warnings.warn("inputs look odd")
        print(json.dumps({"success": True}))
        """,
    )
    result = await lsp.command("scriptcontract.run", run_args(lsp, name))
    assert result["success"] is True
    stderr = await lsp.diagnostics(
        uri, lambda d: len([x for x in d if x.message.startswith("stderr")]) == 2, source=RUN_SOURCE
    )
    # Beside a success, stderr is a note, not a problem: hints only.
    assert {d.severity for d in stderr} == {types.DiagnosticSeverity.Hint}
    (warning,) = [d for d in stderr if "UserWarning: inputs look odd" in d.message]
    assert warning.range.start.line == 5
    (summary,) = [d for d in stderr if d.message.startswith("stderr: starting up")]
    assert summary.range.start.line == 0


async def test_invalid_json_output_points_at_the_print_that_wrote_it(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(
        name,
        """
        import json

        count = 3
        print(f"processing {count} items")
        print(json.dumps({"success": True}))
        """,
    )
    result = await lsp.command("scriptcontract.run", run_args(lsp, name))
    assert result["error"].startswith("Invalid JSON output from script")
    (diagnostic,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    assert diagnostic.range.start == types.Position(line=3, character=0)
    assert "processing 3 items" in diagnostic.message


async def test_a_timeout_points_at_the_line_that_was_running(lsp: Session, name: str) -> None:
    uri = lsp.open(
        name,
        """
        import time


        def spin():
            while True:
                time.sleep(0.01)


        spin()
        """,
    )
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, timeoutMs=400))
    assert result["timed_out"] is True
    (diagnostic,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    assert diagnostic.range.start.line == 5  # time.sleep(...) inside the loop, not line 1
    # The time it ran: the 400 ms limit, or more on a loaded machine (then maybe in seconds).
    took = re.fullmatch(
        r"Timed out after (\d+) ms|Timed out after (\d+\.\d) s", diagnostic.message.split(":")[0]
    )
    assert took is not None, diagnostic.message
    assert float(took[1] or 0) >= 400 or float(took[2] or 0) >= 1.0, diagnostic.message
    assert diagnostic.message.endswith(": it was running this line")
    assert result["outcome"].startswith("✗ timed out after ")


async def test_run_results_are_cleared_by_an_edit_and_replaced_by_the_next_run(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, 'import json\nprint(json.dumps({"n": 1}))\nraise SystemExit(2)\n')
    await lsp.command("scriptcontract.run", run_args(lsp, name))
    await lsp.diagnostics(uri, source=RUN_SOURCE)
    lsp.edit(uri, (1, 0), (1, 0), "# edited\n")
    assert await lsp.diagnostics(uri, lambda d: not d, source=RUN_SOURCE) == []
    lsp.replace_all(uri, 'import json\nprint(json.dumps({"n": 2}))\nraise SystemExit(4)\n')
    lsp.write(name, 'import json\nprint(json.dumps({"n": 2}))\nraise SystemExit(4)\n')
    await lsp.command("scriptcontract.run", run_args(lsp, name))
    first = await lsp.diagnostics(uri, source=RUN_SOURCE)
    lsp.write(name, "raise SystemExit(3)\n")
    lsp.replace_all(uri, "raise SystemExit(3)\n")
    await lsp.command("scriptcontract.run", run_args(lsp, name))
    second = await lsp.diagnostics(uri, lambda d: d != first, source=RUN_SOURCE)
    assert len(second) == 1 and second[0].severity == types.DiagnosticSeverity.Error
    assert "exit 3" in second[0].message


async def test_inputs_come_from_arguments_file_sidecar_then_template(
    lsp: Session, name: str
) -> None:
    lsp.open(name, ECHO)
    sidecar = lsp.root / name.replace(".py", ".inputs.json")
    inferred = await lsp.command("scriptcontract.run", run_args(lsp, name))
    assert inferred["output"] == {"got": {"count": 3, "label": ""}}
    sidecar.write_text(json.dumps({"label": "from sidecar"}))
    assert (await lsp.command("scriptcontract.run", run_args(lsp, name)))["output"] == {
        "got": {"label": "from sidecar"}
    }
    other = lsp.write(name.replace(".py", "_other.json"), '{"label": "from file"}')
    relative = other.relative_to(lsp.root).as_posix()
    from_file = await lsp.command("scriptcontract.run", run_args(lsp, name, inputsFile=relative))
    assert from_file["output"] == {"got": {"label": "from file"}}
    given = await lsp.command(
        "scriptcontract.run", run_args(lsp, name, inputs={"label": "given"}, inputsFile=relative)
    )
    assert given["output"] == {"got": {"label": "given"}}
    sidecar.write_text("{not json")
    broken = await lsp.command("scriptcontract.run", run_args(lsp, name))
    assert broken["success"] is False and "is not valid JSON" in broken["error"]


async def test_untitled_and_unsaved_buffers_are_not_run(lsp: Session, name: str) -> None:
    untitled = lsp.open_uri(f"untitled:{name.replace('/', '-')}", HELLO)
    result = await lsp.command("scriptcontract.run", {"uri": untitled})
    assert result["success"] is False and "save it" in result["error"]
    lsp.write(name, HELLO)
    unsaved = lsp.open(name, HELLO + "\n# typing\n", on_disk=False)
    result = await lsp.command("scriptcontract.run", {"uri": unsaved})
    assert result["success"] is False and "unsaved changes" in result["error"]
    assert any("unsaved changes" in m.message for m in lsp.client.messages)
    missing = await lsp.command("scriptcontract.run", {"uri": lsp.uri("scripts/not_there.py")})
    assert missing["success"] is False and "Cannot read" in missing["error"]


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ([], "takes one object argument"),
        (["file:///x.py"], "takes one object argument"),
        ([{"uri": "file:///x.py", "inputs": [1, 2]}], "inputs"),
        ([{"uri": "file:///x.py", "timeoutMs": 0}], "timeoutMs"),
        ([{"uri": "file:///x.py", "input": {}}], "input"),
    ],
)
async def test_bad_command_arguments_get_a_clear_error(
    lsp: Session, name: str, arguments: list[Any], complaint: str
) -> None:
    with pytest.raises(JsonRpcException) as caught:
        await lsp.command("scriptcontract.run", *arguments)
    assert complaint in str(caught.value)
    # ... and the server goes on.
    uri = lsp.open(name, HELLO)
    assert (await lsp.command("scriptcontract.inputsTemplate", {"uri": uri}))["inputs"]


async def test_create_inputs_makes_the_sidecar_through_the_editor(lsp: Session, name: str) -> None:
    lsp.open(name, HELLO)
    sidecar = lsp.root / name.replace(".py", ".inputs.json")
    edits = len(lsp.client.applied_edits)  # the session's other tests apply edits too
    answer = await lsp.command("scriptcontract.createInputs", {"uri": lsp.uri(name)})
    assert answer == {"uri": lsp.uri(sidecar.relative_to(lsp.root).as_posix()), "created": True}
    assert len(lsp.client.applied_edits) == edits + 1, "it must come through workspace/applyEdit"
    assert json.loads(sidecar.read_text()) == {"name": "World"}
    again = await lsp.command("scriptcontract.createInputs", {"uri": lsp.uri(name)})
    assert again["created"] is False and len(lsp.client.applied_edits) == edits + 1


async def test_inputs_template_prefers_the_sidecar(lsp: Session, name: str) -> None:
    uri = lsp.open(name, ECHO)
    inferred = await lsp.command("scriptcontract.inputsTemplate", {"uri": uri})
    assert inferred["source"] == "inferred"
    assert inferred["inputs"] == {"count": 3, "label": ""}
    assert inferred["sidecarUri"].endswith(name.replace(".py", ".inputs.json").split("/")[-1])
    (lsp.root / name.replace(".py", ".inputs.json")).write_text('{"label": "x"}')
    from_sidecar = await lsp.command("scriptcontract.inputsTemplate", {"uri": uri})
    assert from_sidecar["source"] == "sidecar" and from_sidecar["inputs"] == {"label": "x"}


async def test_a_run_reports_progress_that_ends_with_its_outcome(lsp: Session, name: str) -> None:
    lsp.open(name, HELLO)
    before = set(lsp.client.progress_reports)
    await lsp.command("scriptcontract.run", run_args(lsp, name))
    (token,) = set(lsp.client.progress_reports) - before
    begin, *_, end = lsp.client.progress_reports[token]
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.cancellable
    assert isinstance(end, types.WorkDoneProgressEnd) and (end.message or "").startswith("✓")


async def start_slow_run(lsp: Session, name: str) -> tuple[asyncio.Future[Any], str, int]:
    """A run of a script that sleeps, under a request id of ours; once its process is up."""
    lsp.open(name, PID_THEN_SLEEP)
    pid_file = lsp.root / name.replace(".py", ".pid")
    request_id = f"run-{name}"
    request = asyncio.ensure_future(
        lsp.client.protocol.send_request_async(  # type: ignore[no-untyped-call]
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(
                command="scriptcontract.run",
                arguments=[run_args(lsp, name, inputs={"pid_file": str(pid_file)})],
            ),
            msg_id=request_id,
        )
    )
    return request, request_id, int(await wait_for_file(pid_file))


async def test_cancelling_the_request_kills_the_run_at_once(lsp: Session, name: str) -> None:
    request, request_id, pid = await start_slow_run(lsp, name)
    lsp.client.cancel_request(types.CancelParams(id=request_id))
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(request, timeout=CANCEL_S)
    assert await wait_gone(pid), "the script survived the cancel"


async def test_cancelling_the_progress_kills_the_run_at_once(lsp: Session, name: str) -> None:
    lsp.open(name, PID_THEN_SLEEP)
    pid_file = lsp.root / name.replace(".py", ".pid")
    before = set(lsp.client.progress_reports)
    request = asyncio.ensure_future(
        lsp.command("scriptcontract.run", run_args(lsp, name, inputs={"pid_file": str(pid_file)}))
    )
    pid = int(await wait_for_file(pid_file))
    (token,) = set(lsp.client.progress_reports) - before
    lsp.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(request, timeout=CANCEL_S)
    assert await wait_gone(pid), "the script survived the cancel"


async def test_linting_goes_on_while_a_run_is_in_progress(lsp: Session, name: str) -> None:
    request, request_id, pid = await start_slow_run(lsp, name)
    other = lsp.open(name.replace(".py", "_typing.py"), "def broken(:\n")
    found = await lsp.diagnostics(other)
    assert [str(d.code) for d in found] == ["SCR001"]
    assert not request.done(), "the run should still be going"
    lsp.client.cancel_request(types.CancelParams(id=request_id))
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(request, timeout=CANCEL_S)
    assert await wait_gone(pid)
