"""Language-server figures beside `ruff server` and `pylsp`, measured in one run.

- start-up: spawn to the answer of `initialize` (beside `python -c pass`);
- latency: `didChange` to `publishDiagnostics` for a 500-line workflow script, p50 and p95
  (scriptcontract without its debounce, also while a run is in progress);
- memory: the server's resident memory with 200 open documents.

    python benchmarks/lsp.py [--edits 200] [--documents 200]

Peers that are not installed are skipped
(`pip install ruff 'python-lsp-server[pyflakes,pycodestyle]'`).
pylsp debounces linting by 0.5 s internally, so its latency includes that pause.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class StdioClient:
    """Speaks JSON-RPC to one server process; answers its requests with what `answers` says."""

    def __init__(
        self, process: asyncio.subprocess.Process, answers: Callable[[str, Any], Any]
    ) -> None:
        self.process = process
        self.answers = answers
        self._next = 0
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._listeners: list[Callable[[str, Any], None]] = []
        self._reader = asyncio.ensure_future(self._read_forever())

    @classmethod
    async def start(
        cls, command: list[str], cwd: str, answers: Callable[[str, Any], Any]
    ) -> StdioClient:
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(process, answers)

    def on_notification(self, listener: Callable[[str, Any], None]) -> None:
        self._listeners.append(listener)

    def _write(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._write({"method": method, "params": params})

    async def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self._next += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._next] = future
        self._write({"id": self._next, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    async def _read_forever(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line in (b"\r\n", b"\n") and length:
                    break
            message = json.loads(await stdout.readexactly(length))
            if "method" in message and "id" in message:
                self._write(
                    {
                        "id": message["id"],
                        "result": self.answers(message["method"], message.get("params")),
                    }
                )
            elif "method" in message:
                for listener in self._listeners:
                    listener(message["method"], message.get("params"))
            elif message.get("id") in self._pending:
                future = self._pending.pop(message["id"])
                if not future.done():
                    future.set_result(message.get("result", message.get("error")))

    def rss_mb(self) -> float:
        """Resident memory of the server process itself."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> None:
        try:
            await self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            await asyncio.wait_for(self.process.wait(), 10)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self._reader.cancel()


def now_ms() -> float:
    return time.perf_counter() * 1000


SETTINGS = {"lint": {"debounceMs": 0}, "logLevel": "error"}


@dataclass
class Server:
    name: str
    command: list[str]
    answers: Callable[[str, Any], Any] = field(default=lambda method, params: None)
    options: Any = None


def servers() -> list[Server]:
    bin_dir = Path(sys.executable).parent
    found = [
        Server(
            "scriptcontract",
            [sys.executable, "-m", "scriptcontract", "serve"],
            answers=lambda method, params: (
                [SETTINGS] * len(params["items"]) if method == "workspace/configuration" else None
            ),
            options={"settings": SETTINGS},
        )
    ]
    ruff = shutil.which("ruff", path=str(bin_dir)) or shutil.which("ruff")
    if ruff:
        found.append(Server("ruff server", [ruff, "server"]))
    pylsp = shutil.which("pylsp", path=str(bin_dir)) or shutil.which("pylsp")
    if pylsp:
        found.append(
            Server(
                "pylsp",
                [pylsp],
                answers=lambda method, params: (
                    [None] * len(params["items"]) if method == "workspace/configuration" else None
                ),
            )
        )
    return found


def script_of(lines: int) -> str:
    """A realistic workflow script of about `lines` lines."""
    out = [
        '"""Transforms records: a benchmark script of the usual shape."""',
        "import json",
        "import sys",
        "from pathlib import Path",
        "",
    ]
    index = 0
    while len(out) < lines - 20:
        out += [
            f"def step_{index}(records, inputs):",
            f'    """Step {index}: normalise one field."""',
            f'    field = inputs.get("field_{index}", "name")',
            "    result = []",
            "    for record in records:",
            "        value = record.get(field)",
            "        if isinstance(value, str):",
            "            value = value.strip().lower()  # marker",
            "        result.append({**record, field: value})",
            f'    print(f"step {index}: {{len(result)}} records", file=sys.stderr)',
            "    return result",
            "",
        ]
        index += 1
    out += [
        "def main(inputs):",
        '    source = Path(inputs["input_file"])',
        "    records = json.loads(source.read_text())",
    ]
    out += [f"    records = step_{i}(records, inputs)" for i in range(min(index, 8))]
    out += [
        '    return {"success": True, "count": len(records)}',
        "",
        "",
        'if __name__ == "__main__":',
        "    raw = sys.stdin.read()",
        "    inputs = json.loads(raw) if raw.strip() else {}",
        "    try:",
        "        print(json.dumps(main(inputs)))",
        "    except Exception as exc:",
        '        print(json.dumps({"success": False, "error": str(exc)}))',
        "        sys.exit(1)",
    ]
    return "\n".join(out) + "\n"


CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "publishDiagnostics": {
            "versionSupport": True,
            "relatedInformation": True,
            "dataSupport": True,
        },
    },
    "workspace": {"configuration": True, "workspaceFolders": True},
    "window": {"workDoneProgress": False},
}


class Session:
    def __init__(self, client: StdioClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.published: dict[str, asyncio.Event] = {}
        self.versions: dict[str, int] = {}
        client.on_notification(self._on_notification)

    def _on_notification(self, method: str, params: Any) -> None:
        if method == "textDocument/publishDiagnostics":
            event = self.published.get(params["uri"])
            if event is not None:
                event.set()

    @classmethod
    async def start(cls, server: Server, root: Path) -> tuple[Session, float]:
        started = now_ms()
        client = await StdioClient.start(server.command, str(root), server.answers)
        await client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": CAPABILITIES,
                "initializationOptions": server.options,
            },
        )
        took = now_ms() - started
        client.notify("initialized", {})
        return cls(client, root), took

    async def open(self, relative: str, text: str) -> str:
        uri = (self.root / relative).as_uri()
        self.published[uri] = asyncio.Event()
        self.versions[uri] = 1
        self.client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        return uri

    async def wait(self, uri: str, timeout: float = 60) -> None:
        await asyncio.wait_for(self.published[uri].wait(), timeout)
        self.published[uri].clear()

    async def edit(self, uri: str, line: int, old_length: int, text: str) -> float:
        """One keystroke-sized change; milliseconds until the server published again."""
        self.published[uri].clear()
        self.versions[uri] += 1
        started = now_ms()
        self.client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": self.versions[uri]},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": line, "character": 0},
                            "end": {"line": line, "character": old_length},
                        },
                        "text": text,
                    }
                ],
            },
        )
        await self.wait(uri)
        return now_ms() - started


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


async def latency(session: Session, uri: str, text: str, edits: int) -> list[float]:
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "# marker" in line)
    current = lines[target]
    samples = []
    for index in range(edits):
        new = current.replace("# marker", f"# marker {index}") if index % 2 == 0 else lines[target]
        samples.append(await session.edit(uri, target, len(current), new))
        current = new
    return samples


async def run_in_progress(session: Session, root: Path) -> asyncio.Future[Any]:
    sleeper = root / "scripts" / "sleeper.py"
    sleeper.write_text("import time\nwhile True:\n    time.sleep(0.01)\n")
    uri = await session.open("scripts/sleeper.py", sleeper.read_text())
    await session.wait(uri)
    request = asyncio.ensure_future(
        session.client.request(
            "workspace/executeCommand",
            {
                "command": "scriptcontract.runNow",
                "arguments": [{"uri": uri, "inputs": {}, "timeoutMs": 120000}],
            },
            timeout=300,
        )
    )
    await asyncio.sleep(0.5)  # the run is under way
    return request


def python_pass_ms(repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(server: Server, text: str, edits: int, documents: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as tmp:
        root = Path(tmp)
        (root / "scripts").mkdir()
        (root / "pyproject.toml").write_text('[project]\nname = "bench"\n')
        starts = []
        for _ in range(3):
            session, took = await Session.start(server, root)
            starts.append(took)
            await session.client.stop()
        session, _ = await Session.start(server, root)
        try:
            uri = await session.open("scripts/bench.py", text)
            await session.wait(uri)
            await latency(session, uri, text, 10)  # warm-up
            samples = await latency(session, uri, text, edits)
            figures: dict[str, Any] = {
                "start_ms": statistics.median(starts),
                "p50_ms": percentile(samples, 50),
                "p95_ms": percentile(samples, 95),
            }
            if server.name == "scriptcontract":
                request = await run_in_progress(session, root)
                during = await latency(session, uri, text, edits)
                figures["p50_run_ms"] = percentile(during, 50)
                figures["p95_run_ms"] = percentile(during, 95)
                figures["run_still_going"] = not request.done()
                request.cancel()
            uris = []
            for index in range(documents):
                uris.append(await session.open(f"scripts/copy_{index}.py", text))
            for opened in uris:
                await session.wait(opened, timeout=300)
            await asyncio.sleep(0.5)
            figures["rss_mb"] = session.client.rss_mb()
        finally:
            await session.client.stop()
    return figures


def collect(edits: int, documents: int, lines: int) -> dict[str, Any]:
    """`python -c pass` and every installed server's figures (see `measure`)."""
    text = script_of(lines)
    return {
        "python_pass_ms": python_pass_ms(),
        "lines": lines,
        "edits": edits,
        "documents": documents,
        "servers": {
            server.name: asyncio.run(measure(server, text, edits, documents))
            for server in servers()
        },
    }


def report(figures: dict[str, Any]) -> None:
    print(f"python -c pass: {figures['python_pass_ms']:.0f} ms")
    print(
        f"{figures['lines']}-line script, {figures['edits']} edits, {figures['documents']} "
        "open documents (median start of 3)\n"
    )
    header = f"{'server':<16}{'start ms':>10}{'p50 ms':>9}{'p95 ms':>9}{'RSS MB':>9}   during a run"
    print(header)
    print("-" * len(header))
    for name, server in figures["servers"].items():
        during = ""
        if "p50_run_ms" in server:
            during = f"p50 {server['p50_run_ms']:.1f} / p95 {server['p95_run_ms']:.1f} ms"
            if not server["run_still_going"]:
                during += " (the run ended early)"
        print(
            f"{name:<16}{server['start_ms']:>10.0f}{server['p50_ms']:>9.1f}"
            f"{server['p95_ms']:>9.1f}{server['rss_mb']:>9.1f}   {during}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args(argv)
    report(collect(args.edits, args.documents, args.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
