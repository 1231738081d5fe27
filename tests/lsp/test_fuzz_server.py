"""Fuzzing the server's protocol: random traffic, malformed JSON-RPC, lifecycle abuse.

A bare peer (no client library to smooth anything over) drives the real server process
with a seeded random stream: opens, edits (random ranges, past the end, huge, non-ASCII,
lone surrogates), saves, closes, hovers, code lenses, code actions, diagnostic pulls, runs
(some cancelled), interleaved with garbage: broken frames, wrong Content-Length, invalid
JSON, wrong types, odd and huge ids, unknown methods, requests before `initialize` and
after `shutdown`. It reads everything the server sends as it comes (a peer that stops
reading would block the server on a full pipe, which is the peer's fault, not the
server's).

The promises checked:
- every request gets exactly one answer, and the error where one is due (ServerNotInitialized
  before `initialize`, InvalidRequest after `shutdown` or without "jsonrpc": "2.0",
  MethodNotFound, InvalidParams);
- every diagnostic pushed for a version lies inside that version of the document, as the
  peer computes it from its own edits (out-of-range positions clamp);
- the server's text is the peer's: a whole-range replacement computed from the peer's
  model leaves exactly the expected syntax error;
- it keeps serving: a final lint round trip on a new document, and `shutdown` + `exit`
  end it with status 0.

CI runs two seeds of 150 steps (one pushing, one pulling); for a long run:

    SCRIPTCONTRACT_FUZZ=long pytest tests/lsp/test_fuzz_server.py

(40 seeds of 600 steps; `SCRIPTCONTRACT_FUZZ_SEEDS=a,b` replays given seeds).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pygls.uris import from_fs_path

from tests.interpreter import environment
from tests.lsp.conftest import make_project
from tests.lsp.rpc import framed, message_bytes, read_message

LONG = os.environ.get("SCRIPTCONTRACT_FUZZ") == "long"
STEPS = 600 if LONG else 150
SEEDS = (
    [int(s) for s in os.environ["SCRIPTCONTRACT_FUZZ_SEEDS"].split(",")]
    if os.environ.get("SCRIPTCONTRACT_FUZZ_SEEDS")
    else list(range(40))
    if LONG
    else [1, 2]
)
ANSWER_S = 30.0
LINE_BREAK_CHARS = ("\r\n", "\r", "\n")

SERVER_NOT_INITIALIZED = -32002
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
REQUEST_CANCELLED = -32800

PIECES = [
    "x",
    " ",
    "    ",
    "\n",
    "\r\n",
    "\r",
    "é",
    "😀",
    "\u2028",
    "\x0c",
    "\x00",
    "\ud800",
    "(",
    ")",
    ":",
    "'",
    '"""',
    "#",
    "# scriptcontract: ignore[SCR105]",
    "inputs['k']",
    "print('a')",
    "sys.exit(2)",
    "import json, sys\n",
    "def main(inputs):\n",
    "while True:\n    pass\n",
]
HELLO = "import json, sys\nprint(json.dumps({'success': True, 'n': len(sys.stdin.read())}))\n"
SLEEPER = "import json, sys, time\nsys.stdin.read()\ntime.sleep(30)\n"
# What a checkpoint leaves: one syntax error, at a place no edit could have left it.
CHECKPOINT = "import json\n\n\ndef checkpoint(:\n    pass\n"
CHECKPOINT_AT = (3, 15)


# --- the peer's model of a document, with the server's clamping rules ----------------------


def split_lines(text: str) -> list[str]:
    lines, start, index = [], 0, 0
    while index < len(text):
        char = text[index]
        if char in "\r\n":
            lines.append(text[start:index])
            index += 2 if text.startswith("\r\n", index) else 1
            start = index
        else:
            index += 1
    lines.append(text[start:])
    return lines


def width(char: str, encoding: str) -> int:
    if encoding == "utf-32":
        return 1
    if encoding == "utf-16":
        return 2 if ord(char) > 0xFFFF else 1
    return len(char.encode("utf-8", "surrogatepass"))


def units_of(line: str, encoding: str) -> int:
    return sum(width(char, encoding) for char in line)


def offset_at(text: str, line: int, character: int, encoding: str) -> int:
    """The index of a client position, clamped: past the last line is the end of the text,
    past a line's end is that end, inside a character is its start."""
    lines = split_lines(text)
    if line >= len(lines):
        return len(text)
    start = 0
    for number in range(line):
        start += len(lines[number])
        start += 2 if text.startswith("\r\n", start) else 1
    used = 0
    for index, char in enumerate(lines[line]):
        used += width(char, encoding)
        if used > character:
            return start + index
    return start + len(lines[line])


def end_position(text: str, encoding: str) -> tuple[int, int]:
    lines = split_lines(text)
    return len(lines) - 1, units_of(lines[-1], encoding)


@dataclass
class Document:
    uri: str
    text: str
    version: int
    texts: dict[int, str] = field(default_factory=dict)  # version -> text


# --- the peer -------------------------------------------------------------------------------


def key(ident: Any) -> str:
    return json.dumps(ident, sort_keys=True)


class Peer:
    """Writes whatever it is told to; reads and answers everything the server sends."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.expected: dict[str, int | None] = {}  # request id -> error code due (None: any)
        self.methods: dict[str, str] = {}
        self.reader = asyncio.ensure_future(self._read_forever())
        self._next = 0

    @classmethod
    async def start(cls, log: Path) -> Peer:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "scriptcontract",
            "serve",
            "--log-file",
            str(log),
            "--log-level",
            os.environ.get("SCRIPTCONTRACT_FUZZ_LOG_LEVEL", "warning"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=environment(),
        )
        return cls(process)

    # writing

    async def raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        await self.process.stdin.drain()

    async def frame(self, body: bytes) -> None:
        await self.raw(framed(body))

    async def send(self, message: dict[str, Any]) -> None:
        await self.raw(message_bytes(message))

    async def notify(self, method: str, params: Any) -> None:
        await self.send({"method": method, "params": params})

    def new_id(self) -> int:
        self._next += 1
        return self._next

    async def request(
        self, method: str, params: Any, *, due: int | None = None, ident: Any = None
    ) -> Any:
        """Send a request; `due` is the error code its answer must carry (None: any answer)."""
        ident = self.new_id() if ident is None else ident
        self.expected[key(ident)] = due
        self.methods[key(ident)] = method
        await self.send({"id": ident, "method": method, "params": params})
        return ident

    async def answer(self, ident: Any, deadline: float | None = None) -> dict[str, Any]:
        deadline = deadline or time.monotonic() + ANSWER_S
        while key(ident) not in self.responses:
            if time.monotonic() > deadline or self.reader.done():
                raise AssertionError(f"no answer to request {ident!r}")
            await asyncio.sleep(0.01)
        return self.responses[key(ident)][0]

    # reading

    async def _read_forever(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = await read_message(self.process.stdout)
            except EOFError:
                return
            if "method" in message and "id" in message:
                await self.send({"id": message["id"], "result": _client_answer(message)})
            elif "method" in message:
                self.notifications.append(message)
            else:
                self.responses.setdefault(key(message.get("id")), []).append(message)

    async def close(self) -> int:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        code = await asyncio.wait_for(self.process.wait(), ANSWER_S)
        self.reader.cancel()
        return code


def _client_answer(request: dict[str, Any]) -> Any:
    method = request["method"]
    if method == "workspace/configuration":
        return [None] * len(request["params"]["items"])
    if method == "workspace/applyEdit":
        return {"applied": False, "failureReason": "the fuzzer applies nothing"}
    return None


# --- one session ----------------------------------------------------------------------------


@dataclass
class Session:
    peer: Peer
    chooser: random.Random
    root: Path
    encoding: str
    pulls: bool
    documents: dict[str, Document] = field(default_factory=dict)
    closed: list[str] = field(default_factory=list)
    runs: list[Any] = field(default_factory=list)
    history: dict[str, dict[int, str]] = field(default_factory=dict)  # uri -> version -> text

    def uri(self, relative: str) -> str:
        return from_fs_path(str(self.root / relative)) or ""

    def position(self, document: Document | None) -> dict[str, int]:
        roll = self.chooser.random()
        if document is None or roll < 0.2:  # anywhere, far out of range included
            return {
                "line": self.chooser.choice([0, 1, 5, 200, 10**6, 2**31 - 1]),
                "character": self.chooser.choice([0, 1, 3, 80, 10**6, 2**31 - 1]),
            }
        lines = split_lines(document.text)
        line = self.chooser.randrange(len(lines) + 2)
        limit = units_of(lines[line], self.encoding) if line < len(lines) else 5
        return {"line": line, "character": self.chooser.randint(0, limit + 3)}

    def text(self) -> str:
        if self.chooser.random() < 0.03:  # a huge insertion
            return self.chooser.choice(PIECES) * self.chooser.randint(10_000, 100_000)
        return "".join(self.chooser.choice(PIECES) for _ in range(self.chooser.randint(0, 6)))

    def any_document(self) -> Document | None:
        return self.chooser.choice(list(self.documents.values())) if self.documents else None


async def _open(session: Session) -> None:
    if session.closed and session.chooser.random() < 0.5:
        uri = session.closed.pop()
    else:
        name = f"scripts/fuzz_{len(session.documents) + len(session.closed)}.py"
        uri = session.uri(name)
    text = session.text() + HELLO
    # Versions go on rising across a close and reopen, so that each names one text.
    earlier = session.history.get(uri, {})
    version = max(earlier, default=0) + 1
    document = Document(uri, text, version, {**earlier, version: text})
    session.documents[uri] = document
    session.history[uri] = document.texts
    await session.peer.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}},
    )


async def _change(session: Session) -> None:
    document = session.any_document()
    if document is None:
        return
    changes: list[dict[str, Any]] = []
    for _ in range(session.chooser.randint(1, 3)):
        if session.chooser.random() < 0.1:
            new_text = session.text()
            changes.append({"text": new_text})
            document.text = new_text
            continue
        start, end = session.position(document), session.position(document)
        new_text = session.text()
        changes.append({"range": {"start": start, "end": end}, "text": new_text})
        first = offset_at(document.text, start["line"], start["character"], session.encoding)
        last = offset_at(document.text, end["line"], end["character"], session.encoding)
        first, last = min(first, last), max(first, last)
        document.text = document.text[:first] + new_text + document.text[last:]
    document.version += session.chooser.randint(1, 3)
    document.texts[document.version] = document.text
    await session.peer.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": document.uri, "version": document.version},
            "contentChanges": changes,
        },
    )


async def _save(session: Session) -> None:
    document = session.any_document()
    if document is not None:
        params: dict[str, Any] = {"textDocument": {"uri": document.uri}}
        if session.chooser.random() < 0.5:
            params["text"] = document.text
        await session.peer.notify("textDocument/didSave", params)


async def _close(session: Session) -> None:
    document = session.any_document()
    if document is not None:
        del session.documents[document.uri]
        session.closed.append(document.uri)
        await session.peer.notify("textDocument/didClose", {"textDocument": {"uri": document.uri}})


async def _feature_request(session: Session) -> None:
    document = session.any_document()
    uri = document.uri if document else session.uri("scripts/never_opened.py")
    where = session.position(document)
    options: list[tuple[str, dict[str, Any]]] = [
        ("textDocument/hover", {"textDocument": {"uri": uri}, "position": where}),
        ("textDocument/codeLens", {"textDocument": {"uri": uri}}),
        (
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": where, "end": session.position(document)},
                "context": {"diagnostics": [], "only": session.chooser.choice([None, []])},
            },
        ),
        ("textDocument/diagnostic", {"textDocument": {"uri": uri}}),
        ("workspace/executeCommand", {"command": "scriptcontract.inputsTemplate"}),
    ]
    method, params = session.chooser.choice(options)
    if params.get("command"):
        params["arguments"] = [{"uri": uri}]
    await session.peer.request(method, params)


async def _run(session: Session) -> None:
    script = session.chooser.choice(["scripts/hello.py", "scripts/sleeper.py"])
    uri = session.chooser.choice([session.uri(script), *session.documents][:3])
    ident = await session.peer.request(
        "workspace/executeCommand",
        {
            "command": "scriptcontract.runNow",
            "arguments": [{"uri": uri, "inputs": {"k": session.text()}, "timeoutMs": 5000}],
        },
    )
    if script.endswith("sleeper.py") or session.chooser.random() < 0.3:
        if session.chooser.random() < 0.5:
            await asyncio.sleep(session.chooser.random() / 10)
        await session.peer.notify("$/cancelRequest", {"id": ident})
    session.runs.append(ident)


async def _garbage(session: Session) -> None:
    """A message no client should send, and the answer due, if any."""
    peer, chooser = session.peer, session.chooser
    hover = {
        "textDocument": {"uri": session.uri("scripts/x.py")},
        "position": {"line": 0, "character": 0},
    }
    roll = chooser.randrange(13)
    if roll == 0:
        await peer.frame(chooser.choice([b"{not json", b"[1, 2", b'"\xff\xfe"', b"", b"null"]))
    elif roll == 1:  # not JSON-RPC 2.0
        ident = peer.new_id()
        peer.expected[key(ident)] = INVALID_REQUEST
        version = chooser.choice([None, "1.0", 2, "3.0"])
        message: dict[str, Any] = {"id": ident, "method": "textDocument/hover", "params": hover}
        if version is not None:
            message["jsonrpc"] = version
        await peer.frame(json.dumps(message).encode())
    elif roll == 2:
        await peer.request(chooser.choice(["scriptcontract/nope", "textDocument/nope", "$/x"]), {})
        await peer.notify(chooser.choice(["$/nope", "textDocument/nope", "custom"]), {"a": 1})
    elif roll == 3:  # params of the wrong type or shape
        params: Any = chooser.choice(["text", [1, 2], 7, {"textDocument": 3}, {"position": "x"}])
        await peer.request("textDocument/hover", params, due=INVALID_PARAMS)
        await peer.notify("textDocument/didChange", params)
        await peer.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
    elif roll == 4:  # odd and huge ids
        n = peer.new_id()
        odd: Any = chooser.choice([2**80 + n, -n, 1.5 + n, "x" * 100_000 + str(n), f"é😀{n}"])
        await peer.request(
            "textDocument/codeLens", {"textDocument": {"uri": "file:///x.py"}}, ident=odd
        )
    elif roll == 5:  # ids JSON-RPC does not allow: some answer, never a crash
        invalid: Any = chooser.choice([{"a": 1}, [1], True])
        await peer.send({"id": invalid, "method": "textDocument/hover", "params": hover})
    elif roll == 6:  # a header the server does not know, and a Content-Type it should ignore
        body = json.dumps({"jsonrpc": "2.0", "method": "$/nope", "params": {}}).encode()
        await peer.raw(
            b"X-Whatever: 1\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n%s"
            % (len(body), body)
        )
    elif roll == 7:  # Content-Length too short: the rest is junk until the next frame
        text = json.dumps({"jsonrpc": "2.0", "method": "$/nope", "params": {"a": "b" * 50}})
        cut = chooser.randint(1, len(text) - 1)
        await peer.raw(b"Content-Length: %d\r\n\r\n%s\r\n" % (cut, text.encode()))
    elif roll == 8:  # Content-Length too long: padded so the frame ends before the next one
        body = b'{"jsonrpc": "2.0", "method": "$/nope", "params": {}}'
        extra = chooser.randint(1, 50)
        await peer.raw(
            b"Content-Length: %d\r\n\r\n%s%s\r\n" % (len(body) + extra, body, b" " * extra)
        )
    elif roll == 9:  # headers without a frame, bad lengths, lines of junk
        await peer.raw(
            chooser.choice(
                [
                    b"Content-Length: abc\r\n\r\n",
                    b"Content-Length: -5\r\n\r\n",
                    b"\r\n\r\n",
                    b"junk\r\n",
                ]
            )
        )
    elif roll == 10:  # a response to a request the server never sent
        await peer.send({"id": chooser.choice([999_999, "nope"]), "result": {"x": 1}})
        await peer.send({"id": 999_998, "error": {"code": -1, "message": "no"}})
    elif roll == 11:  # cancels of what does not exist, and malformed ones
        await peer.notify("$/cancelRequest", chooser.choice([{"id": 10**9}, {"id": None}, {}, "x"]))
    else:  # batches, which LSP does not use
        await peer.frame(b'[{"jsonrpc": "2.0", "method": "$/nope"}]')


async def _checkpoint(session: Session) -> None:
    """Replace a document's whole text, by a range from the peer's model, and see the one
    syntax error expected: the server's text was the peer's."""
    document = session.any_document()
    if document is None:
        return
    line, character = end_position(document.text, session.encoding)
    change = {
        "range": {
            "start": {"line": 0, "character": 0},
            "end": {"line": line, "character": character},
        },
        "text": CHECKPOINT,
    }
    document.text = CHECKPOINT
    document.version += 1
    document.texts[document.version] = CHECKPOINT
    await session.peer.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": document.uri, "version": document.version},
            "contentChanges": [change],
        },
    )
    found = await _diagnostics_for(session, document)
    at = [
        (d["code"], (d["range"]["start"]["line"], d["range"]["start"]["character"])) for d in found
    ]
    # Findings of the last text that parsed may stay beside the syntax error (outside the
    # statements the edits touched); the syntax error says the server's text is the peer's.
    syntax = [item for item in at if item[0] == "SCR001"]
    assert syntax == [("SCR001", CHECKPOINT_AT)], f"after the checkpoint the server shows {at}"


async def _diagnostics_for(session: Session, document: Document) -> list[dict[str, Any]]:
    """What the server shows for the document's current version (push or pull)."""
    deadline = time.monotonic() + ANSWER_S
    while time.monotonic() < deadline:
        if session.pulls:
            ident = await session.peer.request(
                "textDocument/diagnostic", {"textDocument": {"uri": document.uri}}
            )
            answer = await session.peer.answer(ident)
            items: list[dict[str, Any]] = (answer.get("result") or {}).get("items") or []
            if [d for d in items if d.get("source") == "scriptcontract"]:
                return items
        else:
            for message in reversed(session.peer.notifications):
                params = message["params"]
                if (
                    message["method"] == "textDocument/publishDiagnostics"
                    and params["uri"] == document.uri
                ):
                    if params.get("version") == document.version:
                        return list(params["diagnostics"])
                    break
        await asyncio.sleep(0.02)
    seen = [
        (m["params"].get("version"), len(m["params"]["diagnostics"]))
        for m in session.peer.notifications
        if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == document.uri
    ]
    raise AssertionError(
        f"no diagnostics for version {document.version} of {document.uri}; "
        f"published (version, count): {seen[-5:]}"
    )


STEPS_BY_WEIGHT = [
    (_change, 40),
    (_feature_request, 20),
    (_garbage, 15),
    (_open, 6),
    (_save, 5),
    (_close, 4),
    (_run, 6),
    (_checkpoint, 2),
]


def _initialize_params(session: Session) -> dict[str, Any]:
    text_document: dict[str, Any] = {
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
    }
    workspace: dict[str, Any] = {"applyEdit": True, "configuration": True}
    if session.pulls:
        text_document["diagnostic"] = {}
        workspace["diagnostics"] = {"refreshSupport": True}
    return {
        "processId": None,
        "rootUri": from_fs_path(str(session.root)),
        "capabilities": {
            "general": {"positionEncodings": [session.encoding]},
            "textDocument": text_document,
            "workspace": workspace,
            "window": {"workDoneProgress": True},
        },
        "initializationOptions": {"settings": {"lint": {"debounceMs": 0}}},
    }


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_traffic_never_breaks_the_server(seed: int, tmp_path: Path) -> None:
    chooser = random.Random(seed)
    root = make_project(tmp_path / "project")
    (root / "scripts" / "hello.py").write_text(HELLO)
    (root / "scripts" / "sleeper.py").write_text(SLEEPER)
    peer = await Peer.start(tmp_path / "server.log")
    session = Session(
        peer,
        chooser,
        root,
        encoding=chooser.choice(["utf-8", "utf-16", "utf-32"]),
        pulls=seed % 2 == 0,
    )
    try:
        # Before initialize: requests refused, notifications dropped.
        hover = {
            "textDocument": {"uri": session.uri("scripts/hello.py")},
            "position": {"line": 0, "character": 0},
        }
        for _ in range(3):
            await peer.request("textDocument/hover", hover, due=SERVER_NOT_INITIALIZED)
            await _garbage(session)
        ident = await peer.request("initialize", _initialize_params(session))
        assert "capabilities" in (await peer.answer(ident))["result"]
        await peer.notify("initialized", {})
        await peer.request("initialize", _initialize_params(session), due=INVALID_REQUEST)
        await _open(session)

        actions = [step for step, _ in STEPS_BY_WEIGHT]
        weights = [weight for _, weight in STEPS_BY_WEIGHT]
        for _ in range(STEPS):
            await chooser.choices(actions, weights)[0](session)
            if chooser.random() < 0.05:
                await asyncio.sleep(chooser.random() / 20)

        await _every_request_answered(peer)
        if not session.pulls:
            _pushed_ranges_inside(session)
        await _checkpoint(session)
        await _final_lint_round_trip(session)

        # After shutdown: requests refused, then exit ends it cleanly.
        ident = await peer.request("shutdown", None)
        assert (await peer.answer(ident)).get("result", "missing") is None
        for _ in range(3):
            await peer.request(
                "textDocument/codeLens",
                {"textDocument": {"uri": "file:///x.py"}},
                due=INVALID_REQUEST,
            )
            await _change(session)
        await _every_request_answered(peer)
        await peer.notify("exit", None)
        assert await asyncio.wait_for(peer.process.wait(), ANSWER_S) == 0
    finally:
        await peer.close()


async def _every_request_answered(peer: Peer) -> None:
    problems = []
    deadline = time.monotonic() + ANSWER_S
    for ident, due in list(peer.expected.items()):
        try:
            answer = await peer.answer(json.loads(ident), deadline)
        except AssertionError as exc:
            problems.append(f"{exc} ({peer.methods.get(ident, 'not JSON-RPC 2.0')})")
            continue
        answers = peer.responses[ident]
        if len(answers) != 1:
            problems.append(f"{len(answers)} answers to request {ident}")
        code = (answer.get("error") or {}).get("code")
        if due is not None and code != due:
            problems.append(f"request {ident[:80]} should get error {due}: {str(answer)[:200]}")
    assert not problems, "\n".join(problems)


def _pushed_ranges_inside(session: Session) -> None:
    problems = []
    for message in session.peer.notifications:
        if message["method"] != "textDocument/publishDiagnostics":
            continue
        params = message["params"]
        text = session.history.get(params["uri"], {}).get(params.get("version"))
        if text is None:
            continue
        lines = split_lines(text)
        for diagnostic in params["diagnostics"]:
            for where in (diagnostic["range"]["start"], diagnostic["range"]["end"]):
                line = where["line"]
                if line >= len(lines) or where["character"] > units_of(
                    lines[line], session.encoding
                ):
                    problems.append(
                        f"{diagnostic['code']} at {where} outside version {params.get('version')}"
                    )
    assert not problems, problems[:5]


async def _final_lint_round_trip(session: Session) -> None:
    uri = session.uri("scripts/final.py")
    document = Document(uri, CHECKPOINT, 1, {1: CHECKPOINT})
    session.documents[uri] = document
    await session.peer.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": CHECKPOINT}},
    )
    found = await _diagnostics_for(session, document)
    assert [d["code"] for d in found] == ["SCR001"], found


async def test_requests_that_are_not_json_rpc_2_get_invalid_request(tmp_path: Path) -> None:
    # pygls dropped these silently, leaving the client waiting forever.
    root = make_project(tmp_path / "project")
    peer = await Peer.start(tmp_path / "server.log")
    try:
        ident = await peer.request("initialize", {"processId": None, "capabilities": {}})
        await peer.answer(ident)
        hover = {"textDocument": {"uri": root.as_uri()}, "position": {"line": 0, "character": 0}}
        for version in ("1.0", "3.0"):
            message = {"jsonrpc": version, "id": version, "method": "textDocument/hover"}
            await peer.frame(json.dumps({**message, "params": hover}).encode())
            assert (await peer.answer(version))["error"]["code"] == INVALID_REQUEST
    finally:
        await peer.close()
