"""Logging: to a file or stderr for the operator, and to the client's log at `logLevel`.

Only the `scriptcontract` loggers reach the client: pygls logs every message it sends,
and forwarding those would feed back on itself.

Levels mean something. Editors show everything a server writes to stderr as an error
(VS Code's output channel tags each line `[error]`, Neovim logs it at ERROR), so a record
the client already got through `window/logMessage`, at its own level, is not written to
stderr again (a `--log-file` keeps everything). What pygls reports as trouble but is the
ordinary course of a session is demoted to debug: a `$/cancelRequest` for a request that
was already answered (editors send them for every hover and lens they no longer need), a
progress cancel after the run ended, and a cancelled request's "exception".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptcontract.lsp.server import ScriptContractServer

LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
_ROOT = "scriptcontract"


class ClientLogHandler(logging.Handler):
    """Sends records as `window/logMessage`, from whichever thread logged them."""

    def __init__(self, server: ScriptContractServer) -> None:
        super().__init__(logging.INFO)
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        from lsprotocol import types

        if self.loop is None or self.loop.is_closed():
            return
        try:
            message = self.format(record)
        except Exception:
            return
        kind = (
            types.MessageType.Error
            if record.levelno >= logging.ERROR
            else types.MessageType.Warning
            if record.levelno >= logging.WARNING
            else types.MessageType.Info
            if record.levelno >= logging.INFO
            else types.MessageType.Log
        )
        params = types.LogMessageParams(type=kind, message=message)
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            self.loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: object) -> None:
        with contextlib.suppress(Exception):  # no transport any more: nothing to tell
            self.server.window_log_message(params)  # type: ignore[arg-type]


_client_handler: ClientLogHandler | None = None
_operator_level = logging.WARNING
_ORDINARY = (
    "Cancel notification for unknown message id",
    "Ignoring work done progress cancel for unknown token",
)


class _Ordinary(logging.Filter):
    """Demotes to debug what pygls logs as trouble but is a session's ordinary course."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith(_ORDINARY) or _answered(record):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.exc_info, record.exc_text = None, None
        return True


def _answered(record: logging.LogRecord) -> bool:
    """A cancel, or a request refused with why (an inputs file that is not JSON, a debug
    session's inputs the declared schema refuses): the client got the answer, and the
    server's own log says it at info (`report_server_error`); pygls's traceback on stderr
    would show as an error in the editor's log."""
    from pygls.exceptions import JsonRpcRequestCancelled

    error = record.exc_info[1] if record.exc_info else None
    return isinstance(error, JsonRpcRequestCancelled) or refusal(error)


def refusal(error: BaseException | None) -> bool:
    """A request refused with why, for the user: bad parameters, or a `JsonRpcException` of
    the server's own ("Not debugged: ..."); pygls wraps a handler's bug in a subclass."""
    from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest

    refused = isinstance(error, (JsonRpcInvalidParams, JsonRpcInvalidRequest))
    return refused or type(error) is JsonRpcException


class _NotForTheClient(logging.Filter):
    """On stderr, only what the client's log did not get: editors tag stderr as errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        client = _client_handler
        delivered = (
            client is not None
            and client.loop is not None
            and record.name.startswith(_ROOT)
            and record.levelno >= client.level
        )
        return not delivered


def setup_logging(log_file: str | None, level: str) -> None:
    """The operator's log (`--log-file`, else stderr: stdout carries the protocol)."""
    global _operator_level
    _operator_level = LEVELS.get(level, logging.INFO)
    handler: logging.Handler
    handler = (
        logging.FileHandler(log_file, encoding="utf-8")
        if log_file
        else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(_operator_level)
    if not log_file:
        handler.addFilter(_NotForTheClient())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(_operator_level)
    # pygls logs every message body at INFO: only worth it when debugging.
    logging.getLogger("pygls").setLevel(
        logging.DEBUG if _operator_level <= logging.DEBUG else logging.WARNING
    )
    for name in ("pygls.protocol.json_rpc", "pygls.protocol.language_server"):
        logging.getLogger(name).addFilter(_Ordinary())
    _update_level()


def attach_client(server: ScriptContractServer, loop: asyncio.AbstractEventLoop) -> None:
    global _client_handler
    if _client_handler is None:
        _client_handler = ClientLogHandler(server)
        _client_handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logging.getLogger(_ROOT).addHandler(_client_handler)
    _client_handler.server = server
    _client_handler.loop = loop
    _update_level()


def set_client_level(level: str) -> None:
    if _client_handler is not None:
        _client_handler.setLevel(LEVELS.get(level, logging.INFO))
    _update_level()


def _update_level() -> None:
    levels = [_operator_level]
    if _client_handler is not None:
        levels.append(_client_handler.level)
    logging.getLogger(_ROOT).setLevel(min(levels))
