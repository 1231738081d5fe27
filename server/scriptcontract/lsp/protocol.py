"""JSON-RPC rules pygls leaves to us: lifecycle errors, unreadable params, our own documents.

- A request before `initialize` is answered with ServerNotInitialized, a request after
  `shutdown` with InvalidRequest, a second `initialize` with InvalidRequest; notifications
  in those states are dropped (except `exit`). So is a message that is not JSON-RPC 2.0
  (a request gets InvalidRequest).
- A request whose params do not match the method's type is answered with InvalidParams
  (pygls would log it and leave the client waiting forever).
- Text synchronisation keeps the documents in `documents.py`, not in pygls' workspace,
  which splits lines differently from LSP and rejects out-of-range edits.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCRequest

logger = logging.getLogger(__name__)


class _Answered:
    """A message that already got its error answer while it was being read."""


ANSWERED = _Answered()

# The params of the `workspace/executeCommand` being handled: pygls passes a command
# handler only the arguments, and a run needs the client's work-done token.
COMMAND_PARAMS: contextvars.ContextVar[types.ExecuteCommandParams | None] = contextvars.ContextVar(
    "scriptcontract_command_params", default=None
)


class ScriptContractProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False
        self._command_tasks: dict[Any, asyncio.Task[Any]] = {}

    def track_cancellation(self, task: asyncio.Task[Any]) -> None:
        """Let `$/cancelRequest` for the current request cancel `task`.

        pygls runs a command handler under its own generator, and a cancel request only
        cancels that generator's future, not the handler's task: a run would go on.
        """
        msg_id = self.msg_id
        if msg_id is None:
            return
        self._command_tasks[msg_id] = task

        def done(finished: asyncio.Task[Any]) -> None:
            self._command_tasks.pop(msg_id, None)
            if not finished.cancelled():
                # Once the request is cancelled, nothing else reads the task's outcome (the
                # "run was cancelled" answer): asyncio would log it as an error at exit.
                finished.exception()

        task.add_done_callback(done)

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        # pygls files each step of a generator handler (initialize, executeCommand, ...) in
        # `_request_futures` under a fresh uuid that nothing ever removes: every run's task
        # and its whole result (stdout included) stayed in memory, ~5 KB a run at least.
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda done: self._forget_future(msg_id, done))

    def _forget_future(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        task = self._command_tasks.pop(msg_id, None)
        super()._handle_cancel_notification(msg_id)
        if task is not None:
            task.cancel()

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data:
                cause = exc.__cause__ or exc
                message = f"{data['method']}: the params do not match the method: {cause}"
                self._send_response(
                    data["id"], error=JsonRpcInvalidParams(message[:500]).to_response_error()
                )
                return ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is ANSWERED:
            return
        if isinstance(message, dict):  # not JSON-RPC 2.0: no "jsonrpc" member
            if "id" in message and "method" in message:
                error = JsonRpcInvalidRequest("not a JSON-RPC 2.0 message")
                self._send_response(message["id"], error=error.to_response_error())
            logger.warning("Ignoring a message that is not JSON-RPC 2.0")
            return
        method = getattr(message, "method", None)
        is_request = isinstance(message, RPCRequest)
        refusal: JsonRpcException | None = None
        if getattr(message, "jsonrpc", self.VERSION) != self.VERSION:
            # pygls drops these without a word, leaving the client waiting for an answer.
            refusal = JsonRpcInvalidRequest(f"not a JSON-RPC {self.VERSION} message")
        elif method == types.EXIT or method is None:
            pass
        elif method == types.INITIALIZE:
            if self.initialize_received:
                refusal = JsonRpcInvalidRequest("initialize was already received")
            self.initialize_received = True
        elif not self.initialize_received:
            refusal = JsonRpcServerNotInitialized(f"{method}: the server is not initialized yet")
        elif self._shutdown:
            refusal = JsonRpcInvalidRequest(f"{method}: the server is shutting down")
        if refusal is not None:
            if is_request:
                self._send_response(message.id, error=refusal.to_response_error())
            else:
                logger.info("Dropped %s: %s", method, refusal.message)
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        finish = getattr(self._server, "finish_capabilities", None)
        if finish is not None:
            finish(result.capabilities)
        return result

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        # pygls cancels the requests still pending while it iterates `_request_futures`,
        # and a cancelled future's callback (`_forget_future`) takes it out of that dict:
        # a shutdown during a run or a configuration pull failed with "dictionary changed
        # size during iteration" and the client could not end the session.
        if (handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True

    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    def lsp_workspace__execute_command(
        self, params: types.ExecuteCommandParams
    ) -> Generator[Any, Any, Any]:
        COMMAND_PARAMS.set(params)
        result = yield from super().lsp_workspace__execute_command(params)
        return result
