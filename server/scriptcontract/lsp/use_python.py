""" "Use .venv/bin/python for runs": the quick fix of a run that missed a module the
project's top-level environment has.

The server only offers it: a run never picks the interpreter that starts outside the sandbox
by itself, the user's click on the action names it. The editors' plugins take the command
over and set their `run.python` setting (VS Code for the workspace folder, Neovim for the
session); sent to the server, it says which setting to set, since only the editor can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from scriptcontract.lsp.commands import _argument
from scriptcontract.lsp.convert import RUN_SOURCE, USE_PYTHON_KEY, command_fix
from scriptcontract.lsp.names import USE_PYTHON
from scriptcontract.lsp.server import ScriptContractServer

if TYPE_CHECKING:
    from scriptcontract.lsp.documents import Document


def offer(script_uri: str, python: str) -> dict[str, str]:
    """The command's argument, which a run diagnostic's `data` carries as it is."""
    return {"uri": script_uri, "python": python}


def use_python_actions(
    ls: ScriptContractServer, document: Document, params: types.CodeActionParams
) -> list[types.CodeAction | types.Command]:
    actions: list[types.CodeAction | types.Command] = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != RUN_SOURCE:
            continue
        argument = _offered(ls, document.uri, diagnostic)
        if argument is None:
            continue
        title = f"Use {argument['python']} for runs"
        command = types.Command(title=title, command=USE_PYTHON, arguments=[argument])
        actions.append(command_fix(ls.caps, diagnostic, command))
    return actions


def _offered(
    ls: ScriptContractServer, uri: str, diagnostic: types.Diagnostic
) -> dict[str, str] | None:
    """What the diagnostic offers: from its `data`, else (a client that keeps none) from the
    run that made it, while the file is as it ran."""
    data = diagnostic.data
    if isinstance(data, dict) and isinstance(data.get(USE_PYTHON_KEY), dict):
        argument = data[USE_PYTHON_KEY]
        if isinstance(argument.get("uri"), str) and isinstance(argument.get("python"), str):
            return offer(argument["uri"], argument["python"])
        return None
    return ls.runs.offered_python(uri, diagnostic.message)


def register(server: ScriptContractServer) -> None:
    @server.command(USE_PYTHON)
    def use_python(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.run_inputs import UsePythonArgument

        arguments = _argument(USE_PYTHON, args, UsePythonArgument)
        message = (
            f"Set the editor's scriptcontract run.python setting to {arguments.python}, then "
            "run the script again: only the editor can change its settings."
        )
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )
        return {"setting": "run.python", "python": arguments.python, "applied": False}
