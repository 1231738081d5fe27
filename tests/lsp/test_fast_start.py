"""The early answer to `initialize`: the server's own answer, and a session as before.

Each test runs the real `scriptcontract serve`; "slow" runs have the early answer turned
off (`SCRIPTCONTRACT_FAST_START=0`), which is how the server answered before it existed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from lsprotocol.converters import get_converter
from pytest_lsp import ClientServerConfig

from scriptcontract.lsp.fast_start import ENV_SWITCH
from tests.conftest import REPO
from tests.interpreter import environment
from tests.lsp.conftest import (
    BROKEN,
    PROFILES,
    SERVER_COMMAND,
    TestClient,
    capabilities_of,
    initialize_params,
    make_client,
    make_project,
)
from tests.lsp.rpc import RawPeer
from tests.time_limits import REQUEST_BOUND_S

ANSWERED_EARLY = "Answered initialize in"
LEFT_TO_SERVER = "The first message was left to the server"
DIFFERED = "differed from the server's"
SERVER_NOT_INITIALIZED = -32002


@asynccontextmanager
async def server(log: Path, *, fast: bool = True) -> AsyncIterator[RawPeer]:
    env = environment()
    env.pop(ENV_SWITCH, None)
    if not fast:
        env[ENV_SWITCH] = "0"
    process = await asyncio.create_subprocess_exec(
        *SERVER_COMMAND,
        "--log-file",
        str(log),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=env,
    )
    peer = RawPeer(process)
    try:
        yield peer
    finally:
        await peer.close()


async def stop(peer: RawPeer) -> int:
    """shutdown + exit, as a client ends a session; the exit status."""
    assert (await peer.request("shutdown"))["result"] is None
    peer.notify("exit")
    return await peer.exit_code()


def profile_capabilities(profile: str) -> dict[str, Any]:
    unstructured: dict[str, Any] = get_converter().unstructure(capabilities_of(profile))
    return unstructured


CAPABILITIES: dict[str, dict[str, Any]] = {
    **{profile: profile_capabilities(profile) for profile in PROFILES},
    "none": {},
    "utf-8 only": {"general": {"positionEncodings": ["utf-8"]}},
    "utf-32 only": {"general": {"positionEncodings": ["utf-32"]}},
    "utf-16 before utf-8": {"general": {"positionEncodings": ["utf-16", "utf-8"]}},
    "unknown encodings first": {"general": {"positionEncodings": ["utf-7", "utf-32", "utf-8"]}},
    "only unknown encodings": {"general": {"positionEncodings": ["ascii"]}},
    "pull without refresh": {"textDocument": {"diagnostic": {}}},
    "refresh without pull": {"workspace": {"diagnostics": {"refreshSupport": True}}},
    "pull and refresh, bare": {
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostics": {"refreshSupport": True}},
    },
    "will save": {"textDocument": {"synchronization": {"willSave": True}}},
    "will save declined": {
        "textDocument": {"synchronization": {"willSave": False, "willSaveWaitUntil": False}}
    },
    "null members": {
        "general": None,
        "textDocument": {"diagnostic": None, "synchronization": None},
        "workspace": None,
    },
}


def initialize_message(ident: int | str, params: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": ident, "method": "initialize", "params": params}


def full_params(capabilities: dict[str, Any], root: Path) -> dict[str, Any]:
    return {
        "processId": os.getpid(),
        "clientInfo": {"name": "test", "version": "1"},
        "locale": "en",
        "rootUri": root.as_uri(),
        "rootPath": str(root),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "initializationOptions": {"settings": {"logLevel": "info"}},
        "trace": "off",
        "capabilities": capabilities,
    }


async def answer(message: dict[str, Any], log: Path, *, fast: bool) -> tuple[str, str]:
    """The normalised answer to `message` sent first, and the server's log."""
    async with server(log, fast=fast) as peer:
        peer.send(message)
        response = await peer.response(message["id"])
        if "error" in response:  # not initialized: `shutdown` would be refused
            peer.notify("exit")
            assert await peer.exit_code() == 1
        else:
            assert await stop(peer) == 0
        # The server's own answer is held back: the client gets exactly one.
        assert [m for m in peer.other_responses if m.get("id") == message["id"]] == []
    return json.dumps(response, sort_keys=True), log.read_text(encoding="utf-8")


async def both_answers(
    message: dict[str, Any], tmp_path: Path
) -> tuple[tuple[str, str], tuple[str, str]]:
    fast, slow = await asyncio.gather(
        answer(message, tmp_path / "fast.log", fast=True),
        answer(message, tmp_path / "slow.log", fast=False),
    )
    assert ANSWERED_EARLY not in slow[1] and LEFT_TO_SERVER not in slow[1]
    return fast, slow


@pytest.mark.parametrize("profile", list(CAPABILITIES))
async def test_the_early_answer_is_the_servers_answer(profile: str, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    message = initialize_message(1, full_params(CAPABILITIES[profile], root))
    (fast, fast_log), (slow, _) = await both_answers(message, tmp_path)
    assert ANSWERED_EARLY in fast_log
    assert DIFFERED not in fast_log
    assert fast == slow


async def test_a_string_id_and_bare_params_are_answered_early(tmp_path: Path) -> None:
    message = initialize_message("init-1", {"capabilities": {}})
    (fast, fast_log), (slow, _) = await both_answers(message, tmp_path)
    assert ANSWERED_EARLY in fast_log and DIFFERED not in fast_log
    assert fast == slow
    assert json.loads(fast)["id"] == "init-1"


@pytest.mark.parametrize(
    "params",
    [
        {"processId": 1.5, "capabilities": {}},
        {"processId": True, "capabilities": {}},
        {"capabilities": {"general": {"positionEncodings": "utf-8"}}},
        {"capabilities": {"textDocument": {"diagnostic": "yes"}}},
        {"capabilities": {"textDocument": {"synchronization": {"willSave": 0}}}},
        {"capabilities": {}, "trace": "loud"},
        {"capabilities": []},
        {"processId": "me", "capabilities": {}},
        {"capabilities": {}, "workspaceFolders": [{"uri": "file:///x"}]},
    ],
    ids=[
        "float process id",
        "boolean process id",
        "encodings a string",
        "diagnostic a string",
        "will save a number",
        "unknown trace",
        "capabilities a list",
        "process id a string",
        "folder without a name",
    ],
)
async def test_unusual_params_are_left_to_the_server(
    params: dict[str, Any], tmp_path: Path
) -> None:
    # The server's converter bends or refuses these; only it knows its answer.
    message = initialize_message(7, params)
    (fast, fast_log), (slow, _) = await both_answers(message, tmp_path)
    assert LEFT_TO_SERVER in fast_log
    assert fast == slow


async def test_a_whole_session_goes_through_the_early_answer(tmp_path: Path) -> None:
    # The same command and client as the rest of tests/lsp, which therefore all run
    # through the early answer too.
    log = tmp_path / "server.log"
    root = make_project(tmp_path / "project")
    config = ClientServerConfig(
        server_command=[*SERVER_COMMAND, "--log-file", str(log)], client_factory=make_client
    )
    for profile in ("neovim", "vscode-modern"):
        client = await config.start()
        assert isinstance(client, TestClient)
        result = await client.initialize_session(initialize_params(profile, [root]))
        assert (result.capabilities.diagnostic_provider is not None) == (profile == "vscode-modern")
        uri = (root / "scripts" / f"broken_{profile.replace('-', '_')}.py").as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=BROKEN
                )
            )
        )
        if profile == "vscode-modern":
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            found = list(report.items)
        else:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            found = list(client.diagnostics[uri])
        assert [str(d.code) for d in found] == ["SCR001"]
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]
    text = log.read_text(encoding="utf-8")
    assert text.count(ANSWERED_EARLY) == 2 and DIFFERED not in text


def frame(body: bytes, *headers: bytes) -> bytes:
    return b"".join([b"Content-Length: %d\r\n" % len(body), *headers, b"\r\n", body])


async def test_a_content_type_header_is_read_like_the_server_reads_it(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    body = json.dumps(initialize_message(1, {"capabilities": {}})).encode()
    async with server(log) as peer:
        assert peer.process.stdin is not None
        peer.process.stdin.write(
            frame(body, b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
        )
        assert "capabilities" in (await peer.response(1))["result"]
        assert await stop(peer) == 0
    assert ANSWERED_EARLY in log.read_text(encoding="utf-8")


async def test_a_long_header_line_is_handed_over_whole(tmp_path: Path) -> None:
    # Longer than the early reader looks at: it gives up mid-line, and the server must
    # still see the whole line, then the message.
    log = tmp_path / "server.log"
    body = json.dumps(initialize_message(1, {"capabilities": {}})).encode()
    async with server(log) as peer:
        assert peer.process.stdin is not None
        peer.process.stdin.write(b"X-Padding: " + b"a" * 10_000 + b"\r\n" + frame(body))
        assert "capabilities" in (await peer.response(1))["result"]
        assert await stop(peer) == 0
    assert LEFT_TO_SERVER in log.read_text(encoding="utf-8")


async def test_a_malformed_first_message_is_left_to_the_server(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    async with server(log) as peer:
        peer.send_bytes(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params"')
        response = await peer.request("initialize", {"capabilities": {}})
        assert "capabilities" in response["result"]
        assert await stop(peer) == 0
    text = log.read_text(encoding="utf-8")
    assert LEFT_TO_SERVER in text and "Unable to handle message" in text


async def test_an_initialize_the_server_cannot_read_is_left_to_it(tmp_path: Path) -> None:
    # pygls reads any object with a "jsonrpc" member as a message, even nested: it cannot
    # read this one at all, and never answers it (with or without the early answer).
    log = tmp_path / "server.log"
    async with server(log) as peer:
        peer.send(
            initialize_message(1, {"capabilities": {}, "initializationOptions": {"jsonrpc": ""}})
        )
        response = await peer.request("initialize", {"capabilities": {}})
        assert response["id"] == 1 and "capabilities" in response["result"]
        assert await stop(peer) == 0
    assert LEFT_TO_SERVER in log.read_text(encoding="utf-8")


async def test_a_first_message_that_is_not_initialize_is_refused_as_before(
    tmp_path: Path,
) -> None:
    log = tmp_path / "server.log"
    async with server(log) as peer:
        early = await peer.request(
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}},
        )
        assert early["error"]["code"] == SERVER_NOT_INITIALIZED
        response = await peer.request("initialize", {"capabilities": {}})
        assert "capabilities" in response["result"]
        assert await stop(peer) == 0
    assert LEFT_TO_SERVER in log.read_text(encoding="utf-8")


# `staleRequestSupport` lacks its required `retryOnContentModified`: the server's converter
# refuses the params, and nothing short of it can tell.
REFUSED = {
    "processId": None,
    "capabilities": {"general": {"staleRequestSupport": {"cancel": True}}},
}


async def test_params_the_server_refuses_after_the_early_answer_stop_it(tmp_path: Path) -> None:
    async with server(tmp_path / "slow.log", fast=False) as slow:
        refused = await slow.request("initialize", REFUSED)
        assert refused["error"]["code"] == -32602  # what a client gets without the early answer

    log = tmp_path / "server.log"
    async with server(log) as peer:
        early = await peer.request("initialize", REFUSED)
        assert "capabilities" in early["result"]
        peer.notify("initialized", {})
        with pytest.raises(EOFError):  # the server says why, then ends the session
            while True:
                peer.notifications.append(await asyncio.wait_for(peer.read(), 10))
        assert await peer.exit_code() == 1
    shown = [m for m in peer.notifications if m["method"] == "window/showMessage"]
    assert len(shown) == 1 and shown[0]["params"]["type"] == 1
    assert shown[0]["params"]["message"].startswith("scriptcontract could not start:")
    assert "initialize: the params do not match the method" in shown[0]["params"]["message"]
    text = log.read_text(encoding="utf-8")
    assert "refused the initialize request that was already answered" in text


async def test_exit_without_shutdown_after_the_early_answer_is_status_1(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    async with server(log) as peer:
        assert "capabilities" in (await peer.request("initialize", {"capabilities": {}}))["result"]
        peer.notify("initialized", {})
        peer.notify("exit")
        assert await peer.exit_code() == 1
    assert ANSWERED_EARLY in log.read_text(encoding="utf-8")


async def test_a_client_that_closes_at_once_ends_the_server(tmp_path: Path) -> None:
    async with server(tmp_path / "server.log") as peer:
        assert peer.process.stdin is not None
        peer.process.stdin.close()
        assert await peer.exit_code() == 1


@pytest.mark.parametrize("startup_imports", [False, True], ids=["plain", "pth-imports-typing"])
def test_the_early_answer_needs_neither_pygls_nor_lsprotocol(
    startup_imports: bool, tmp_path: Path
) -> None:
    # What makes it early: nothing heavy is imported before the answer is written.
    # Only what fast_start brings in counts: a site-packages `.pth` file may import typing
    # or logging at interpreter start-up, before any of our code runs (the second case
    # is such an interpreter: a virtual environment with such a `.pth` file).
    import subprocess

    python = sys.executable
    if startup_imports:
        venv = tmp_path / "venv"
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
        )
        python = str(venv / "bin" / "python")
        purelib = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        Path(purelib, "startup_imports.pth").write_text("import typing, logging\n")
    probe = (
        "import io, sys\n"
        "before = set(sys.modules)\n"
        f"sys.path.insert(0, {str(REPO / 'server')!r})\n"
        "from scriptcontract.lsp import fast_start\n"
        'body = b\'{"jsonrpc": "2.0", "id": 1, "method": "initialize", '
        '"params": {"capabilities": {}}}\'\n'
        "stdin = io.BytesIO(b'Content-Length: %d\\r\\n\\r\\n' % len(body) + body)\n"
        "start = fast_start.begin(stdin, io.BytesIO())\n"
        "heavy = ('pygls', 'lsprotocol', 'attrs', 'cattrs', 'pydantic', 'typing', 'logging')\n"
        "new = set(sys.modules) - before\n"
        "print(start.answered, sorted(m for m in new if m.startswith(heavy)))\n"
        "print('typing' in before)\n"
    )
    done = subprocess.run(
        [python, "-I", "-c", probe], capture_output=True, text=True, timeout=REQUEST_BOUND_S
    )
    answered, typing_at_startup = done.stdout.strip().splitlines()
    assert answered == "True []", done.stdout + done.stderr
    assert typing_at_startup == str(startup_imports)  # the positive control


async def test_a_server_that_cannot_load_tells_the_client_it_answered_early(
    tmp_path: Path,
) -> None:
    # Without site-packages scriptcontract itself imports (from the source tree) but pygls
    # does not: the early answer has gone out, then the server cannot be loaded.
    source = Path(__file__).resolve().parents[2] / "server"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-S",
        "-m",
        "scriptcontract",
        "serve",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={"PYTHONPATH": str(source), "PATH": os.environ.get("PATH", "")},
    )
    peer = RawPeer(process)
    answer = await peer.request("initialize", {"capabilities": {}})
    assert "capabilities" in answer["result"]
    shown = await asyncio.wait_for(peer.read(), 10)
    assert shown["method"] == "window/showMessage" and shown["params"]["type"] == 1
    assert "cannot load the language server" in shown["params"]["message"]
    assert await asyncio.wait_for(process.wait(), 10) == 2
    assert process.stderr is not None
    stderr = (await process.stderr.read()).decode()
    assert "cannot load the language server" in stderr and "Traceback" not in stderr
