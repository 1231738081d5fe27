"""The seed's API-call pattern, against a local HTTP server."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.executor.conftest import MakeExecutor


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "items": 3}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/status"
    server.shutdown()
    server.server_close()


async def test_api_call_example(tmp_path: Path, api_url: str, make_executor: MakeExecutor) -> None:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    result = await make_executor(root).execute_script("scripts/call_api.py", {"api_url": api_url})
    assert result.success, (result.error, result.stderr)
    assert result.output == {
        "success": True,
        "data": {"path": "/status", "items": 3},
        "status": "completed",
    }


async def test_api_call_refused_url_is_a_script_error(
    tmp_path: Path, make_executor: MakeExecutor
) -> None:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    result = await make_executor(root).execute_script(
        "scripts/call_api.py", {"api_url": "file:///etc/passwd"}
    )
    assert not result.success
    assert result.error == "api_url must be an http(s) URL"
    assert result.error_type == "ValueError"
