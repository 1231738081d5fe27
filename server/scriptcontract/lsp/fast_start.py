"""Answering `initialize` over stdio before pygls and lsprotocol are imported.

Importing them takes ~300 ms, nearly all of a cold start, and the answer to `initialize`
depends on little: the client's position encodings and whether it pulls diagnostics. So
`serve` reads the first message itself; when it is an `initialize` whose params have the
usual shapes, it writes the answer the real server would give (computed here from the plain
JSON), then imports the server and hands it the same bytes first (`Replay`), so that pygls
and our handler set up exactly the state they would have. The server's own answer to that
request is held back (`AnswerFilter`) and compared with ours; a difference is logged.

Anything unexpected is left to the server as it always was: a first message that is not
`initialize`, is not framed or typed as usual, or is cut short, is replayed without an
answer. If the server then refuses the params (a client bug this module cannot see, deep
in the capabilities), the client has been told all was well: it is sent a
`window/showMessage` error, the reason is logged, and the server stops with exit status 1
rather than live on uninitialised.

This module must stay cheap to import: nothing here runs before the answer but `json`,
`re` and `time` (`logging` is imported only after the answer).
"""

from __future__ import annotations

import json
import re
import time

from scriptcontract import __version__
from scriptcontract.lsp.names import CODE_ACTION_KINDS, COMMANDS

TYPE_CHECKING = False  # `typing` costs ~2.5 ms to import, before the answer
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, BinaryIO

ENV_SWITCH = "SCRIPTCONTRACT_FAST_START"

# The framing pygls reads (`pygls.io_.run_async`), byte for byte: anything it would read
# differently is not answered here.
_CONTENT_LENGTH = re.compile(rb"^Content-Length: (\d+)\r\n$")
_MAX_HEADER_LINES = 16
_MAX_HEADER_LINE = 4096
_MAX_BODY = 64 * 1024 * 1024

# What the real server declares (see `lsp/server.py` and the modules it registers); the
# test in `tests/lsp/test_fast_start.py` compares the two for every client profile.
_ENCODINGS = ("utf-8", "utf-16", "utf-32")  # `position_encoding.negotiate`'s, in order
_INCREMENTAL_SYNC = 2
_TRACE_VALUES = ("off", "messages", "verbose")


def enabled(environ: Mapping[str, str]) -> bool:
    """On unless `SCRIPTCONTRACT_FAST_START=0` (the way to rule it out when debugging)."""
    return environ.get(ENV_SWITCH, "1").strip() != "0"


class _Unsure(Exception):
    """The params have a shape whose answer only the real server knows."""


def _member(node: dict[str, Any], key: str, kind: type) -> Any:
    """`node[key]` if of the JSON type `kind`, None if absent or null; else `_Unsure`.

    The server's converter bends other types (a string becomes a list of its letters, 1.5
    a process id of 1): what it makes of them is left to it.
    """
    value = node.get(key)
    if value is None:
        return None
    # In JSON, true is not a number nor 1 a boolean.
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise _Unsure(key)
    return value


def _check_params(params: dict[str, Any]) -> None:
    """Refuse the top-level shapes the server's converter would reject or bend."""
    if not isinstance(params.get("capabilities"), dict):
        raise _Unsure("capabilities")
    _member(params, "processId", int)
    _member(params, "rootUri", str)
    _member(params, "rootPath", str)
    _member(params, "locale", str)
    for folder in _member(params, "workspaceFolders", list) or []:
        if not (
            isinstance(folder, dict)
            and isinstance(folder.get("uri"), str)
            and isinstance(folder.get("name"), str)
        ):
            raise _Unsure("workspaceFolders")
    client_info = _member(params, "clientInfo", dict)
    if client_info is not None:
        if not isinstance(client_info.get("name"), str):
            raise _Unsure("clientInfo")
        _member(client_info, "version", str)
    trace = _member(params, "trace", str)
    if trace is not None and trace not in _TRACE_VALUES:
        raise _Unsure("trace")


def _position_encoding(capabilities: dict[str, Any]) -> str:
    general = _member(capabilities, "general", dict) or {}
    offered = _member(general, "positionEncodings", list) or []
    if not all(isinstance(name, str) for name in offered):
        raise _Unsure("positionEncodings")
    return next((name for name in offered if name in _ENCODINGS), "utf-16")


def _pulls(capabilities: dict[str, Any]) -> bool:
    """`ResolvedClientCapabilities.pull_diagnostics`: pull declared, and refresh too."""
    text_document = _member(capabilities, "textDocument", dict) or {}
    declares_pull = _member(text_document, "diagnostic", dict) is not None
    workspace = _member(capabilities, "workspace", dict) or {}
    diagnostics = _member(workspace, "diagnostics", dict) or {}
    refresh = _member(diagnostics, "refreshSupport", bool)
    return declares_pull and bool(refresh)


def _text_document_sync(capabilities: dict[str, Any]) -> dict[str, Any]:
    text_document = _member(capabilities, "textDocument", dict) or {}
    synchronization = _member(text_document, "synchronization", dict) or {}
    sync: dict[str, Any] = {"openClose": True, "change": _INCREMENTAL_SYNC}
    # pygls declares `willSave` as "client support and a handler": absent when the client
    # is silent, false when it says anything (we handle neither).
    for key in ("willSave", "willSaveWaitUntil"):
        if _member(synchronization, key, bool) is not None:
            sync[key] = False
    sync["save"] = {"includeText": False}
    return sync


def initialize_result(params: Any) -> dict[str, Any] | None:
    """The server's answer to `initialize` with these params; None when unsure of it."""
    if not isinstance(params, dict):
        return None
    try:
        _check_params(params)
        capabilities = params["capabilities"]
        declared: dict[str, Any] = {
            "positionEncoding": _position_encoding(capabilities),
            "textDocumentSync": _text_document_sync(capabilities),
            "hoverProvider": True,
            "codeActionProvider": {
                "codeActionKinds": list(CODE_ACTION_KINDS),
                "resolveProvider": False,
            },
            "codeLensProvider": {"resolveProvider": False},
            "inlayHintProvider": {"resolveProvider": False},
            "completionProvider": {"triggerCharacters": ['"']},
            "definitionProvider": True,
            "executeCommandProvider": {"commands": list(COMMANDS)},
            "workspace": {
                "workspaceFolders": {"supported": True, "changeNotifications": True},
                "fileOperations": {},
            },
        }
        if _pulls(capabilities):
            declared["diagnosticProvider"] = {
                "identifier": "scriptcontract",
                "interFileDependencies": False,
                "workspaceDiagnostics": False,
            }
    except _Unsure:
        return None
    return {
        "capabilities": declared,
        "serverInfo": {"name": "scriptcontract", "version": __version__},
    }


def read_first_message(stream: BinaryIO) -> tuple[bytes, bytes | None]:
    """Everything read, and the first message's body when pygls would read the same one."""
    consumed: list[bytes] = []
    content_length = 0
    for _ in range(_MAX_HEADER_LINES):
        line = stream.readline(_MAX_HEADER_LINE)
        consumed.append(line)
        if not line.endswith(b"\n"):  # end of input, or a line too long to be a header
            return b"".join(consumed), None
        if not content_length:
            match = _CONTENT_LENGTH.fullmatch(line)
            if match:
                content_length = int(match.group(1))
                continue
        if content_length and not line.strip():
            if content_length > _MAX_BODY:
                return b"".join(consumed), None
            body = stream.read(content_length)
            consumed.append(body)
            if len(body) != content_length:
                return b"".join(consumed), None
            return b"".join(consumed), body
    return b"".join(consumed), None


def _parse_initialize(body: bytes) -> tuple[int | str, Any] | None:
    """(id, params) of a plain JSON-RPC `initialize` request; None for anything else."""
    nested_messages = 0

    def count_messages(node: dict[str, Any]) -> dict[str, Any]:
        # pygls turns every object with a "jsonrpc" member into a message, nested or not.
        nonlocal nested_messages
        nested_messages += "jsonrpc" in node
        return node

    try:
        message = json.loads(body, object_hook=count_messages)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or nested_messages != 1:
        return None
    if message.get("jsonrpc") != "2.0" or message.get("method") != "initialize":
        return None
    ident = message.get("id")
    if isinstance(ident, bool) or not isinstance(ident, (int, str)):
        return None
    return ident, message.get("params")


def frame(message: dict[str, Any]) -> bytes:
    """A message as pygls frames it."""
    body = json.dumps(message).encode("utf-8")
    header = (
        f"Content-Length: {len(body)}\r\n"
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
    )
    return header.encode("ascii") + body


class FastStart:
    """What happened to the first message, and the streams the server is to use."""

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        self.started = time.perf_counter()
        self.read_ahead = b""
        self.request_id: int | str | None = None
        self.result: dict[str, Any] | None = None
        self.answered_ms: float | None = None
        self.refusal: str | None = None
        self._stdin = stdin
        self._stdout = stdout

    @property
    def answered(self) -> bool:
        return self.answered_ms is not None

    def answer_first_message(self) -> None:
        self.read_ahead, body = read_first_message(self._stdin)
        parsed = _parse_initialize(body) if body is not None else None
        if parsed is None:
            return
        self.request_id, params = parsed
        self.result = initialize_result(params)
        if self.result is None:
            return
        try:
            self._stdout.write(
                frame({"id": self.request_id, "jsonrpc": "2.0", "result": self.result})
            )
            self._stdout.flush()
        except OSError:  # the client is gone: the server will find its input closed
            return
        self.answered_ms = (time.perf_counter() - self.started) * 1000

    def streams(self) -> tuple[BinaryIO, BinaryIO]:
        """stdin and stdout for `start_io`: pygls calls only readline/read, write/flush/close."""
        stdin = Replay(self.read_ahead, self._stdin, self)
        if not self.answered:
            return stdin, self._stdout  # type: ignore[return-value]
        return stdin, AnswerFilter(self._stdout, self)  # type: ignore[return-value]

    def log_outcome(self) -> None:
        import logging

        logger = logging.getLogger(__name__)
        if self.answered:
            logger.info(
                "Answered initialize in %.1f ms, before loading the server", self.answered_ms
            )
        else:
            logger.info("The first message was left to the server (not a plain initialize)")

    def show_error(self, message: str) -> None:
        """Tell a client that was answered early that the server will not go on."""
        if not self.answered:
            return  # the client still waits for an answer, and gets none: it sees the end
        notice = {
            "jsonrpc": "2.0",
            "method": "window/showMessage",
            "params": {"type": 1, "message": message},
        }
        try:
            self._stdout.write(frame(notice))
            self._stdout.flush()
        except OSError:
            pass

    def server_answered(self, response: dict[str, Any]) -> None:
        """The server's own answer to the `initialize` already answered: check it."""
        import logging

        logger = logging.getLogger(__name__)
        error = response.get("error")
        if error is not None:
            reason = error.get("message") if isinstance(error, dict) else None
            self.refusal = str(reason or error)
            logger.error(
                "The server refused the initialize request that was already answered: %s; "
                "stopping. (%s=0 turns the early answer off.)",
                self.refusal,
                ENV_SWITCH,
            )
            self.show_error(f"scriptcontract could not start: {self.refusal[:500]}")
        elif response.get("result") != self.result:
            logger.error(
                "The early answer to initialize differed from the server's (a bug: please "
                "report it; %s=0 turns the early answer off). Early: %s; server: %s",
                ENV_SWITCH,
                json.dumps(self.result, sort_keys=True),
                json.dumps(response.get("result"), sort_keys=True),
            )


class Replay:
    """stdin for the server: the bytes read ahead, then the real stream.

    Once the server has refused the early-answered `initialize`, reads end the input, so
    the server stops instead of going on uninitialised.
    """

    def __init__(self, read_ahead: bytes, stream: BinaryIO, start: FastStart) -> None:
        self._pending = read_ahead
        self._stream = stream
        self._start = start

    def readline(self) -> bytes:
        if self._pending:
            end = self._pending.find(b"\n") + 1 or len(self._pending)
            line, self._pending = self._pending[:end], self._pending[end:]
            if not line.endswith(b"\n") and self._start.refusal is None:
                line += self._stream.readline()
            return line
        if self._start.refusal is not None:
            return b""
        return self._stream.readline()

    def read(self, size: int) -> bytes:
        if self._pending:
            chunk, self._pending = self._pending[:size], self._pending[size:]
            if len(chunk) < size and self._start.refusal is None:
                chunk += self._stream.read(size - len(chunk))
            return chunk
        if self._start.refusal is not None:
            return b""
        return self._stream.read(size)


class AnswerFilter:
    """stdout for the server: holds back its answer to the `initialize` answered early.

    pygls writes one whole framed message per `write`. Initialize is the first request it
    handles, so the first response it writes is that answer; everything after passes
    straight through.
    """

    def __init__(self, stream: BinaryIO, start: FastStart) -> None:
        self._stream = stream
        self._start = start
        self._waiting = True

    def write(self, data: bytes) -> int:
        if self._waiting:
            response = self._response_in(data)
            if response is not None:
                self._waiting = False
                if response.get("id") == self._start.request_id:
                    self._start.server_answered(response)
                    return len(data)
        return self._stream.write(data)

    @staticmethod
    def _response_in(data: bytes) -> dict[str, Any] | None:
        _, _, body = data.partition(b"\r\n\r\n")
        try:
            message = json.loads(body)
        except ValueError:
            return None
        if isinstance(message, dict) and "id" in message and "method" not in message:
            return message
        return None

    def flush(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        self._stream.close()


def begin(stdin: BinaryIO, stdout: BinaryIO) -> FastStart:
    """Read the first message and answer it if it is a plain `initialize`."""
    start = FastStart(stdin, stdout)
    start.answer_first_message()
    return start
