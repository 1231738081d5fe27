"""`scriptcontract serve`: stdio (also as `python -m`), TCP, the log file, and usage errors."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.runner import scriptcontract
from tests.lsp.conftest import make_project
from tests.lsp.rpc import RawPeer, message_bytes, read_message
from tests.time_limits import REQUEST_BOUND_S

SCRIPT = Path(sys.executable).with_name("scriptcontract")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_console_script_serves_stdio_and_logs_to_a_file(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    command = [str(SCRIPT), "serve", "--stdio", "--log-file", str(log), "--log-level", "info"]
    peer = await RawPeer.start(command)
    try:
        response = await peer.initialize(make_project(tmp_path / "p"))
        assert response["result"]["serverInfo"]["name"] == "scriptcontract"
        await peer.request("shutdown")
        peer.notify("exit")
        assert await peer.exit_code() == 0
    finally:
        await peer.close()
    assert "scriptcontract.lsp.lifecycle" in log.read_text()


async def test_tcp_serves_one_client(tmp_path: Path) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scriptcontract",
        "serve",
        "--tcp",
        f"127.0.0.1:{port}",
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the server never listened")
        initialize: dict[str, Any] = {"processId": None, "rootUri": None, "capabilities": {}}
        writer.write(message_bytes({"id": 1, "method": "initialize", "params": initialize}))
        await writer.drain()
        answer = await asyncio.wait_for(read_message(reader), 10)
        assert answer["id"] == 1 and "capabilities" in answer["result"]
        writer.close()
    finally:
        process.kill()
        await asyncio.wait_for(process.wait(), 10)


def test_a_bad_tcp_address_is_a_usage_error() -> None:
    done = scriptcontract("serve", "--tcp", "nowhere")
    assert done.returncode == 2
    assert "--tcp wants HOST:PORT" in done.stderr


def test_an_unwritable_log_file_is_a_usage_error(tmp_path: Path) -> None:
    done = scriptcontract("serve", "--log-file", str(tmp_path / "no" / "x.log"))
    assert done.returncode == 2 and "cannot write --log-file" in done.stderr


def test_answering_initialize_needs_no_pydantic_model() -> None:
    # Start-up time: the settings models load after `initialize` is answered.
    # Only what the server brings in counts, not what site-packages import at start-up.
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from scriptcontract.lsp.server import create_server\n"
        "create_server()\n"
        "heavy = ('pydantic', 'scriptcontract.config')\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=REQUEST_BOUND_S
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_watched_configuration_files_are_the_ones_configuration_reads() -> None:
    from scriptcontract.config import CONFIG_FILES
    from scriptcontract.lsp.watched_files import CONFIG_FILES as WATCHED

    assert sorted(WATCHED) == sorted(CONFIG_FILES)
