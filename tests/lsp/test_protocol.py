"""The protocol's edges: lifecycle errors, garbage, bad params, and handlers that raise."""

from __future__ import annotations

import random
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from lsprotocol import types
from lsprotocol.converters import get_converter

from tests.lsp.conftest import BROKEN, Session, initialize_params, make_project
from tests.lsp.rpc import RawPeer
from tests.lsp.test_runs import PID_THEN_SLEEP, is_gone, wait_for_file, wait_gone


@pytest_asyncio.fixture(loop_scope="session")
async def peer() -> AsyncIterator[RawPeer]:
    started = await RawPeer.start()
    yield started
    await started.close()


def initialize_raw(root: Path) -> Any:
    """VS Code's initialize params: it declares configuration pulls and file watching."""
    return get_converter().unstructure(initialize_params("vscode", [root]))


def open_params(uri: str, text: str) -> dict[str, object]:
    return {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}


async def test_requests_before_initialize_are_refused_and_then_it_works(
    peer: RawPeer, tmp_path: Path
) -> None:
    early = await peer.request(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}},
    )
    assert early["error"]["code"] == -32002
    peer.notify("textDocument/didOpen", open_params("file:///x.py", "x = 1\n"))  # dropped
    response = await peer.initialize(make_project(tmp_path / "p"))
    assert "capabilities" in response["result"]
    again = await peer.request(
        "initialize", {"processId": None, "rootUri": None, "capabilities": {}}
    )
    assert again["error"]["code"] == -32600


async def test_garbage_and_bad_params_get_answers_and_the_server_goes_on(
    peer: RawPeer, tmp_path: Path
) -> None:
    root = make_project(tmp_path / "p")
    await peer.initialize(root)
    peer.send_bytes(b"{this is not json")
    peer.send_bytes(b'{"id": 77, "method": "textDocument/hover"}')  # no "jsonrpc"
    assert (await peer.response(77))["error"]["code"] == -32600
    bad = await peer.request("textDocument/hover", {"nonsense": True})
    assert bad["error"]["code"] == -32602
    unknown = await peer.request("scriptcontract/noSuchMethod", {})
    assert unknown["error"]["code"] == -32601
    peer.notify("$/noSuchNotification", {})
    peer.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": "file:///never-opened.py", "version": 2},
            "contentChanges": [{"text": "x"}],
        },
    )
    uri = (root / "scripts" / "job.py").as_uri()
    peer.notify("textDocument/didOpen", open_params(uri, BROKEN))
    (diagnostic,) = await peer.diagnostics_for(uri)
    assert diagnostic["code"] == "SCR001"


async def test_after_shutdown_requests_are_refused_and_exit_ends_the_process(
    peer: RawPeer, tmp_path: Path
) -> None:
    await peer.initialize(make_project(tmp_path / "p"))
    assert (await peer.request("shutdown"))["result"] is None
    late = await peer.request("textDocument/codeLens", {"textDocument": {"uri": "file:///x.py"}})
    assert late["error"]["code"] == -32600
    peer.notify("exit")
    assert await peer.exit_code() == 0


async def test_shutdown_right_behind_initialize_is_answered(tmp_path: Path) -> None:
    # A client that does not wait for answers: shutdown arrives while the server's own
    # start-up requests (configuration, file watching) and the first lint are pending.
    root = make_project(tmp_path / "p")
    for _ in range(3):
        peer = await RawPeer.start()
        try:
            peer.send({"id": "init", "method": "initialize", "params": initialize_raw(root)})
            peer.notify("initialized", {})
            uri = (root / "scripts" / "job.py").as_uri()
            peer.notify("textDocument/didOpen", open_params(uri, BROKEN))
            assert (await peer.request("shutdown"))["result"] is None
            peer.notify("exit")
            assert await peer.exit_code() == 0
        finally:
            await peer.close()


async def test_shutdown_during_a_run_is_answered_and_ends_the_run(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    script = root / "scripts" / "slow.py"
    script.write_text(PID_THEN_SLEEP, encoding="utf-8")
    pid_file = root / "scripts" / "slow.pid"  # the top level keeps its entries during a run
    peer = await RawPeer.start()
    try:
        await peer.initialize(root)
        peer.send(
            {
                "id": "run",
                "method": "workspace/executeCommand",
                "params": {
                    "command": "scriptcontract.runNow",
                    "arguments": [{"uri": script.as_uri(), "inputs": {"pid_file": str(pid_file)}}],
                },
            }
        )
        pid = int(await wait_for_file(pid_file))
        assert not is_gone(pid), "the run's script should be running"
        assert (await peer.request("shutdown"))["result"] is None
        peer.notify("exit")
        assert await peer.exit_code() == 0
        assert await wait_gone(pid), "the run's script outlived the server"
    finally:
        await peer.close()


async def test_exit_without_shutdown_is_an_error_exit(peer: RawPeer, tmp_path: Path) -> None:
    await peer.initialize(make_project(tmp_path / "p"))
    peer.notify("exit")
    assert await peer.exit_code() == 1


async def test_a_handler_that_raises_answers_an_error_and_the_server_goes_on(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "p")
    faulty = await RawPeer.start(
        [sys.executable, str(Path(__file__).with_name("faulty_server.py"))]
    )
    try:
        await faulty.initialize(root)
        uri = (root / "scripts" / "job.py").as_uri()
        faulty.notify("textDocument/didOpen", open_params(uri, "x = 1\n"))
        faulty.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        answer = await faulty.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
        )
        assert answer["error"]["code"] == -32603
        assert "hover exploded" in answer["error"]["message"]
        faulty.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": BROKEN}]},
        )
        (found,) = await faulty.diagnostics_for(uri, "SCR001")
        assert found["range"]["start"] == {"line": 2, "character": 9}
    finally:
        await faulty.close()


async def test_random_edits_and_requests_never_break_the_server(lsp: Session, name: str) -> None:
    chooser = random.Random(f"{name}")
    text = "import json\nprint(json.dumps({'a': 'é😀'}))\n"
    uri = lsp.open(name, text)
    alphabet = ["x", "é", "😀", "\n", "(", ")", '"', " ", "\r\n", "\t", "#", "inputs['k']"]
    document = types.TextDocumentIdentifier(uri=uri)
    for _ in range(80):
        roll = chooser.random()
        line, column = chooser.randint(0, 6), chooser.randint(0, 40)
        if roll < 0.6:
            end = (line + chooser.randint(0, 2), chooser.randint(0, 40))
            piece = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 5)))
            lsp.edit(uri, (line, column), end, piece)
        elif roll < 0.65:
            lsp.save(uri)
        elif roll < 0.7:
            lsp.close(uri)
            lsp.open_uri(uri, text)
        else:
            where = types.Position(line=line, character=column)
            span = types.Range(start=where, end=where)
            await lsp.client.text_document_hover_async(
                types.HoverParams(text_document=document, position=where)
            )
            await lsp.client.text_document_code_lens_async(
                types.CodeLensParams(text_document=document)
            )
            await lsp.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=document,
                    range=span,
                    context=types.CodeActionContext(diagnostics=[]),
                )
            )
            if lsp.pulls:
                await lsp.pull(uri)
    lsp.replace_all(uri, BROKEN)
    where = types.Position(line=2, character=9)
    # The syntax error where BROKEN has it (findings of the last text that parsed may stay
    # beside it, outside the statements the edits touched: see test_typing.py).
    await lsp.diagnostics(
        uri, lambda found: [d.range.start for d in found if str(d.code) == "SCR001"] == [where]
    )
