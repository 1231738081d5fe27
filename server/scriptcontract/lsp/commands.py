"""workspace/executeCommand: run, runNow, createInputs, inputsTemplate, parseInputs.

Each takes one JSON object. Arguments are validated here; a mistake is answered with
InvalidParams and a message that says what was expected.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcRequestCancelled

from scriptcontract.lsp.documents import path_of
from scriptcontract.lsp.names import CREATE_INPUTS, INPUTS_TEMPLATE, PARSE_INPUTS, RUN, RUN_NOW
from scriptcontract.lsp.protocol import COMMAND_PARAMS
from scriptcontract.lsp.server import ScriptContractServer
from scriptcontract.project_files import ProjectFileError, named_inside

if TYPE_CHECKING:
    from pydantic import BaseModel

    from scriptcontract.executor.debugger import Debugger
    from scriptcontract.lsp.run_inputs import RunArguments


M = TypeVar("M", bound="BaseModel")


def _argument(command: str, args: tuple[Any, ...], model: type[M]) -> M:
    from pydantic import ValidationError

    if len(args) != 1 or not isinstance(args[0], dict):
        raise JsonRpcInvalidParams(
            f'{command} takes one object argument, like {{"uri": "file:///..."}}'
        )
    try:
        return model.model_validate(args[0])
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']) or 'argument'}: {err['msg']}"
            for err in exc.errors()
        )
        raise JsonRpcInvalidParams(f"{command}: {problems}") from exc


def _source(ls: ScriptContractServer, uri: str) -> str:
    document = ls.documents.get(uri)
    if document is not None:
        return document.text
    path = path_of(uri)
    if path is None:
        raise JsonRpcInvalidParams(f"{uri} is neither open nor a file")
    from scriptcontract.lsp.runs import read_script

    try:
        return read_script(path, _root(ls, path))
    except ProjectFileError as exc:
        raise JsonRpcInvalidParams(str(exc)) from exc


def _root(ls: ScriptContractServer, path: Path) -> Path:
    return ls.configuration.for_path(path).root or path.parent


def cancellable(ls: ScriptContractServer) -> types.ProgressToken | None:
    """Let `$/cancelRequest` cancel the running command; its work-done token, if any."""
    task = asyncio.current_task()
    if task is not None:
        ls.protocol.track_cancellation(task)  # type: ignore[attr-defined]
    params = COMMAND_PARAMS.get()
    return params.work_done_token if params is not None else None


async def run_script(
    ls: ScriptContractServer, arguments: RunArguments, debugger: Debugger | None = None
) -> dict[str, Any]:
    """A run (under `debugger`: a debug run) the client can cancel, with its progress."""
    token = cancellable(ls)
    try:
        return await ls.runs.run(arguments, token, debugger)
    except asyncio.CancelledError:
        # pygls runs this handler under a generator that only expects exceptions: a
        # bare CancelledError would leave the request unanswered.
        raise JsonRpcRequestCancelled("the run was cancelled and its process killed") from None


def register(server: ScriptContractServer) -> None:
    async def run(ls: ScriptContractServer, command: str, args: tuple[Any, ...]) -> dict[str, Any]:
        from scriptcontract.lsp.run_inputs import RunArguments

        return await run_script(ls, _argument(command, args, RunArguments))

    @server.command(RUN)
    async def run_command(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        return await run(ls, RUN, args)

    @server.command(RUN_NOW)
    async def run_now_command(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        return await run(ls, RUN_NOW, args)

    @server.command(INPUTS_TEMPLATE)
    def inputs_template(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.run_inputs import (
            InputsError,
            UriArgument,
            sidecar_path,
            template_inputs,
        )

        uri = _argument(INPUTS_TEMPLATE, args, UriArgument).uri
        source = _source(ls, uri)
        path = path_of(uri)
        if path is None:
            from scriptcontract.contract.inputs_template import infer_inputs

            return {
                "inputs": infer_inputs(source).template(),
                "source": "inferred",
                "sidecarUri": None,
            }
        from pygls.uris import from_fs_path

        try:
            resolved = template_inputs(path, _root(ls, path), source)
        except InputsError as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc
        return {
            "inputs": resolved.inputs,
            "source": resolved.source,
            "sidecarUri": from_fs_path(str(sidecar_path(path))),
        }

    @server.command(CREATE_INPUTS)
    async def create_inputs(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from pygls.uris import from_fs_path

        from scriptcontract.lsp.run_inputs import UriArgument, sidecar_path, sidecar_text

        uri = _argument(CREATE_INPUTS, args, UriArgument).uri
        path = path_of(uri)
        if path is None:
            raise JsonRpcInvalidParams(f"{uri} is not a file on disk: save the script first")
        sidecar = sidecar_path(path)
        sidecar_uri = from_fs_path(str(sidecar)) or str(sidecar)
        if sidecar.is_symlink() and not named_inside(_root(ls, path), os.path.realpath(sidecar)):
            # The editor would create the file where the link points: outside the project.
            raise JsonRpcException(
                f"{sidecar.name} is a symbolic link that leads outside the project: not created"
            )
        if sidecar.exists() or sidecar.is_symlink():
            return {"uri": sidecar_uri, "created": False}
        if not ls.caps.apply_edit:
            raise JsonRpcException(
                f"the editor cannot apply workspace edits, so {sidecar.name} was not created"
            )
        text = sidecar_text(_source(ls, uri))
        insert = types.TextEdit(
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            new_text=text,
        )
        if ls.caps.create_files:
            edit = types.WorkspaceEdit(
                document_changes=[
                    types.CreateFile(
                        uri=sidecar_uri,
                        options=types.CreateFileOptions(overwrite=False, ignore_if_exists=True),
                    ),
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=sidecar_uri, version=None
                        ),
                        edits=[insert],
                    ),
                ]
            )
        else:
            edit = types.WorkspaceEdit(changes={sidecar_uri: [insert]})
        response = await ls.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=f"Create {sidecar.name}")
        )
        if not response.applied:
            reason = f": {response.failure_reason}" if response.failure_reason else ""
            raise JsonRpcException(f"the editor did not create {sidecar.name}{reason}")
        return {"uri": sidecar_uri, "created": True}

    @server.command(PARSE_INPUTS)
    def parse_inputs(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        """What a prompt for inputs shows while the user types: the object, or what is
        wrong with the text, in words and with where."""
        from scriptcontract.inputs_text import parse_inputs_text
        from scriptcontract.lsp.run_inputs import InputsText

        text = _argument(PARSE_INPUTS, args, InputsText).text
        inputs, problem = parse_inputs_text(text)
        return {"inputs": inputs, "problem": problem}
