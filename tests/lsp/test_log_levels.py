"""The server's log in an ordinary session: levels that mean something.

Editors show all of a server's stderr as errors (VS Code tags each line `[error]`, Neovim
logs it at ERROR), so an ordinary session, cancels included, must leave stderr empty and
send nothing above info through `window/logMessage`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig

from tests.interpreter import environment
from tests.lsp.conftest import (
    Session,
    TestClient,
    initialize_params,
    make_client,
    make_project,
)
from tests.lsp.test_code_actions import STRAY_PRINT
from tests.lsp.test_hover_and_lens import lenses
from tests.lsp.test_runs import HELLO, PID_THEN_SLEEP, run_args, wait_for_file

LEVELS = {
    types.MessageType.Error: "error",
    types.MessageType.Warning: "warning",
    types.MessageType.Info: "info",
    types.MessageType.Log: "log",
}


async def cancelled_run(lsp: Session, name: str, how: str) -> None:
    """A run of a sleeping script, cancelled by the request or by its progress."""
    lsp.open(name, PID_THEN_SLEEP)
    pid_file = lsp.root / name.replace(".py", ".pid")
    before = set(lsp.client.progress_reports)
    request_id = f"run-{how}"
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
    await wait_for_file(pid_file)
    if how == "request":
        lsp.client.cancel_request(types.CancelParams(id=request_id))
    else:
        (token,) = set(lsp.client.progress_reports) - before
        lsp.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    done, _ = await asyncio.wait({request}, timeout=10)
    assert done, "the cancelled run did not answer"


@contextlib.asynccontextmanager
async def editor_session(tmp_path: Path, root: Path) -> AsyncIterator[tuple[Session, Path]]:
    """A server started as editors start it: the default log level, stderr kept (here in a
    file, the second value). Shut down on leaving, so its log messages are all in."""
    stderr = tmp_path / "stderr.log"
    command = ["sh", "-c", 'exec "$0" -m scriptcontract serve 2>"$1"', sys.executable, str(stderr)]
    config = ClientServerConfig(
        server_command=command, client_factory=make_client, server_env=environment()
    )
    client = await config.start()
    assert isinstance(client, TestClient)
    await client.initialize_session(initialize_params("neovim", [root]))
    try:
        yield Session(client, root, "utf-8"), stderr
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


def levelled(lsp: Session) -> list[tuple[str, str]]:
    logged = [(LEVELS[m.type], m.message) for m in lsp.client.log_messages]
    assert [entry for entry in logged if entry[0] in ("error", "warning")] == []
    return logged


async def test_an_ordinary_session_leaves_stderr_empty_and_logs_no_errors(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    async with editor_session(tmp_path, root) as (lsp, stderr):
        uri = lsp.open("scripts/job.py", STRAY_PRINT)
        await lsp.diagnostics(uri)
        lsp.edit(uri, (0, 0), (0, 0), "# a comment\n")
        await lsp.diagnostics(uri, lambda found: found[0].range.start.line > 0)
        await lenses(lsp, uri)
        # An editor cancels hovers and lenses it no longer needs, often once answered.
        lsp.client.cancel_request(types.CancelParams(id="already-answered"))
        lsp.client.window_work_done_progress_cancel(
            types.WorkDoneProgressCancelParams(token="a-progress-long-over")
        )
        hello = lsp.open("scripts/hello.py", HELLO)
        assert (await lsp.command("scriptcontract.run", {"uri": hello}))["success"] is True
        await cancelled_run(lsp, "scripts/slow_one.py", "request")
        await cancelled_run(lsp, "scripts/slow_two.py", "progress")
        await lsp.round_trip()
    logged = levelled(lsp)
    cancels = [m for level, m in logged if "Cancelled the run" in m and level == "info"]
    assert len(cancels) == 2, logged
    assert stderr.read_text(encoding="utf-8") == ""


async def test_a_refused_request_is_logged_at_info_without_a_traceback(tmp_path: Path) -> None:
    # The run prompt's template, asked for a script whose inputs file is not JSON: the
    # refusal is the answer; a real VS Code session showed pygls's traceback as [error] lines.
    root = make_project(tmp_path / "project")
    (root / "scripts" / "hello.inputs.json").write_text("{not json\n", encoding="utf-8")
    # And a debug session whose inputs the declared schema refuses: the server's own refusal.
    schema = {"type": "object", "required": ["name"]}
    (root / "scripts" / "greet.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    async with editor_session(tmp_path, root) as (lsp, stderr):
        hello = lsp.open("scripts/hello.py", HELLO)
        with pytest.raises(JsonRpcException, match=r"hello\.inputs\.json is not valid JSON"):
            await lsp.command("scriptcontract.inputsTemplate", {"uri": hello})
        greet = lsp.open("scripts/greet.py", HELLO)
        with pytest.raises(JsonRpcException, match="Not debugged: the inputs do not match"):
            await lsp.command("scriptcontract.debugConfiguration", {"uri": greet, "inputs": {}})
        await lsp.round_trip()
    logged = levelled(lsp)
    refused = [m for level, m in logged if "Refused a request" in m and level == "info"]
    assert len(refused) == 2, logged
    assert "is not valid JSON" in refused[0] and "Not debugged" in refused[1], logged
    assert stderr.read_text(encoding="utf-8") == ""


async def test_a_change_sent_after_its_close_is_ignored_without_a_warning(
    lsp: Session, name: str
) -> None:
    # VS Code's client can send an untitled file's last change after its close: a real
    # session did, and the warning landed in the user's output channel.
    closed = lsp.open_uri(f"untitled:{name}", "x = 1\n")
    lsp.close(closed)
    lsp.edit(closed, (0, 0), (0, 5), "")
    # The control, sent after it: a change of a document never opened is still warned of.
    never = f"untitled:never-{name}"
    lsp.versions[never] = 1
    lsp.edit(never, (0, 0), (0, 0), "x")

    def warned(uri: str) -> bool:
        return any(
            m.type == types.MessageType.Warning and f"didChange for {uri}," in m.message
            for m in lsp.client.log_messages
        )

    await lsp.until(lambda: warned(never))
    assert not warned(closed)
