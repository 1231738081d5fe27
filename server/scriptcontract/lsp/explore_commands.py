"""workspace/executeCommand for exploration: explore, saveExploredCase.

- `scriptcontract.explore` `{uri, seed?, maxRuns?, maxSeconds?}` explores the script with
  inputs generated from its schema and answers each failure (kind, exception, line, smallest
  input); each is also a diagnostic at its line, until the script is edited;
- `scriptcontract.saveExploredCase` `{uri, failure}` adds that failure's smallest input as a
  case, through a workspace edit of the cases file (what "Save input as case" runs).
"""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcRequestCancelled

from scriptcontract.lsp.commands import _argument, cancellable
from scriptcontract.lsp.names import EXPLORE, SAVE_EXPLORED_CASE
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.command(EXPLORE)
    async def explore(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.explorations import ExploreRefused
        from scriptcontract.lsp.explore_arguments import ExploreArguments

        arguments = _argument(EXPLORE, args, ExploreArguments)
        token = cancellable(ls)
        try:
            return await ls.explorations.explore(
                arguments.uri,
                seed=arguments.seed,
                max_runs=arguments.max_runs,
                max_seconds=arguments.max_seconds,
                token=token,
            )
        except ExploreRefused as exc:
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=str(exc))
            )
            return {"error": str(exc), "failures": []}
        except asyncio.CancelledError:
            # See commands.py: a bare CancelledError would leave the request unanswered.
            message = "the exploration was cancelled and its runs killed"
            raise JsonRpcRequestCancelled(message) from None

    @server.command(SAVE_EXPLORED_CASE)
    async def save_explored_case(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.case_runner import actual_of
        from scriptcontract.explore.saving import case_name
        from scriptcontract.lsp.case_commands import add_case_edit
        from scriptcontract.lsp.explore_arguments import SaveExploredArguments

        arguments = _argument(SAVE_EXPLORED_CASE, args, SaveExploredArguments)
        explored = ls.explorations.last(arguments.uri)
        failures = explored.exploration.failures if explored is not None else []
        if arguments.failure >= len(failures):
            raise JsonRpcException(
                "no such failure: explore the script again (an edit drops what it found)"
            )
        found = failures[arguments.failure]
        return await add_case_edit(
            ls, arguments.uri, case_name(found), found.inputs, actual_of(found.result)
        )
