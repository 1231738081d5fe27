"""The seed's API-call pattern, against a local HTTP server."""

from __future__ import annotations

from pathlib import Path

from tests.executor.conftest import MakeExecutor


async def test_api_call_example(
    examples: Path, http_base: str, make_executor: MakeExecutor
) -> None:
    result = await make_executor(examples).execute_script(
        "scripts/call_api.py", {"api_url": f"{http_base}/status"}
    )
    assert result.success, (result.error, result.stderr)
    assert result.output == {
        "success": True,
        "data": {"path": "/status", "items": 3},
        "status": "completed",
    }


async def test_api_call_refused_url_is_a_script_error(
    examples: Path, make_executor: MakeExecutor
) -> None:
    result = await make_executor(examples).execute_script(
        "scripts/call_api.py", {"api_url": "file:///etc/passwd"}
    )
    assert not result.success
    assert result.error == "api_url must be an http(s) URL"
    assert result.error_type == "ValueError"
