"""workspace/executeCommand: debug, debugConfiguration, debugRun ("Debug with inputs").

An editor asks `debugConfiguration` for everything a session needs (debugpy's adapter, the
DAP `attach` arguments, the script, its inputs and whether it runs confined), starts the
adapter with it, then sends `debugRun`: the run, under that adapter, answered with the
same result a run has. `debug` is what the code lens and code action carry; editors with
scriptcontract's plugin take it over to prompt for inputs; sent to the server it answers
the configuration and says that the editor has to start the session.

With `case` (a recorded case's name; `uri` its script or its cases file), the session is of
the script with that case's inputs, as a run of the case has them; `debugRun` then answers
the case's verdict too (`case`, as `runCases` answers a case) and keeps it for its lens.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from scriptcontract.lsp.commands import _argument, run_script
from scriptcontract.lsp.documents import path_of
from scriptcontract.lsp.names import DEBUG, DEBUG_CONFIGURATION, DEBUG_RUN
from scriptcontract.lsp.server import ScriptContractServer

if TYPE_CHECKING:
    from scriptcontract.lsp.debug_arguments import DebugArguments
    from scriptcontract.lsp.run_inputs import RunArguments


async def launch_configuration(
    ls: ScriptContractServer, arguments: DebugArguments, anyway: bool = False
) -> dict[str, Any]:
    """The configuration of a debug session of the script, or an error saying why not.
    `anyway`: the client offers to debug inputs the declared schema refuses regardless (the
    error's data then holds `runAnyway`, what to add to the arguments)."""
    if arguments.case is not None:
        return await _case_configuration(ls, arguments, arguments.case)
    from scriptcontract.executor.debugger import DebuggerError
    from scriptcontract.executor.debugger import launch_configuration as build
    from scriptcontract.executor.interpreter import InterpreterError, resolve_interpreter
    from scriptcontract.lsp.run_inputs import InputsError, resolve_inputs
    from scriptcontract.lsp.runs import DEBUG_ANYWAY, DEBUG_REFUSED, inputs_verdict, read_script
    from scriptcontract.project_files import ProjectFileError

    path = path_of(arguments.uri)
    if path is None:
        raise JsonRpcException(f"{arguments.uri} is not a file on disk: save it to debug it")
    settings = ls.configuration.for_path(path)
    root = settings.root or path.parent
    try:
        source = read_script(path, root)
    except ProjectFileError as exc:
        raise JsonRpcException(f"Cannot read {path}: {exc.reason}") from exc
    document = ls.documents.get(arguments.uri)
    if document is not None and document.text != source:
        raise JsonRpcException(
            f"{path.name} has unsaved changes; save it before debugging "
            "(a debug run uses the file on disk)."
        )
    refusal = ls.runs.configuration_refusal(root, settings)
    if refusal is not None:
        raise JsonRpcException(refusal.replace("Not run", "Not debugged", 1))
    try:
        inputs = resolve_inputs(arguments, path, root, source)
    except InputsError as exc:
        raise JsonRpcException(f"Not debugged: {exc}") from exc
    if arguments.schema_check:
        # Before the session starts: a refusal at the run would leave it waiting for a
        # debuggee that never comes.
        said = DEBUG_ANYWAY if anyway else DEBUG_REFUSED
        refused, _ = await asyncio.to_thread(
            inputs_verdict, path, root, inputs.inputs, source, said
        )
        if refused is not None:
            data = {"runAnyway": {"schemaCheck": False}} if anyway else None
            raise JsonRpcException(f"Not debugged: {refused}", data=data)
    try:
        interpreter = await resolve_interpreter(settings.python, writable=[root], root=root)
        configuration = build(
            script=path,
            root=root,
            interpreter=interpreter.executable,
            inputs=inputs.inputs,
            inputs_source=inputs.origin or inputs.source,
            env=settings.project.executor.env,
            policy=settings.project.sandbox,
        )
    except (InputsError, InterpreterError, DebuggerError) as exc:
        raise JsonRpcException(f"Not debugged: {exc}") from exc
    # What debugRun takes: the inputs as resolved now, so the session runs what it showed.
    configuration["run"] = {
        "uri": arguments.uri,
        "inputs": inputs.inputs,
        "debugger": configuration["debugger"],
        "schemaCheck": False,  # checked above, or not to be (a case's)
    }
    return configuration


async def _case_configuration(
    ls: ScriptContractServer, arguments: DebugArguments, name: str
) -> dict[str, Any]:
    """A session of the script with the inputs of its case `name`, checked as a run of the
    case is (its cases file without mistakes, the script saved)."""
    import json

    from scriptcontract.lsp.case_runs import CasesRefused
    from scriptcontract.lsp.debug_arguments import DebugArguments

    try:
        files, inputs = await ls.case_runs.case_to_debug(arguments.uri, name)
    except CasesRefused as exc:
        raise JsonRpcException(f"Not debugged: {exc}") from exc
    # A case is debugged as recorded: one that expects a failure holds bad inputs on purpose.
    script = DebugArguments(uri=files.script_uri, inputs=inputs, schema_check=False)
    configuration = await launch_configuration(ls, script)
    title = f"Debug {files.script.name}: case {json.dumps(name, ensure_ascii=False)}"
    configuration["name"] = configuration["configuration"]["name"] = title
    configuration["inputsSource"] = f"case {json.dumps(name, ensure_ascii=False)} of {files.cases}"
    configuration["case"] = {"name": name, "casesUri": files.cases_uri}
    configuration["run"]["case"] = name
    return configuration


def register(server: ScriptContractServer) -> None:
    @server.command(DEBUG)
    async def debug(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.debug_arguments import DebugArguments

        configuration = await launch_configuration(ls, _argument(DEBUG, args, DebugArguments))
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Info,
                message="Debug with inputs: this editor starts no debug session by itself; "
                "start debugpy's adapter with the configuration this command answered "
                "(see the scriptcontract docs for your editor).",
            )
        )
        return configuration

    @server.command(DEBUG_CONFIGURATION)
    async def debug_configuration(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.debug_arguments import DebugArguments

        arguments = _argument(DEBUG_CONFIGURATION, args, DebugArguments)
        # Asked by the editors' plugins, which start the session, and offer "Debug anyway".
        return await launch_configuration(ls, arguments, anyway=True)

    @server.command(DEBUG_RUN)
    async def debug_run(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.executor.debugger import Debugger
        from scriptcontract.lsp.debug_arguments import DebugRunArguments
        from scriptcontract.lsp.run_inputs import RunArguments

        arguments = _argument(DEBUG_RUN, args, DebugRunArguments)
        address = arguments.debugger
        debugger = Debugger(address.host, address.port, address.server_token, address.client_token)
        run = RunArguments.model_validate(arguments.model_dump(exclude={"debugger", "case"}))
        answer = await run_script(ls, run, debugger)
        if arguments.case is not None:
            answer["case"] = await _verdict(ls, arguments.case, run, answer)
        return answer


async def _verdict(
    ls: ScriptContractServer, name: str, run: RunArguments, answer: dict[str, Any]
) -> dict[str, Any] | None:
    """The case's verdict on the debug run's result (None: the case is gone from its file)."""
    from scriptcontract.executor.result import ExecutionResult

    fields = {key: value for key, value in answer.items() if key != "outcome"}
    result = ExecutionResult.model_validate(fields)
    return await ls.case_runs.debugged(run.uri, name, run.inputs or {}, result)
