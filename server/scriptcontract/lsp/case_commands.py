"""workspace/executeCommand for recorded cases: runCases, listCases, addCase.

Each takes one JSON object with the `uri` of a script or of its cases file:
- `scriptcontract.runCases` `{uri, names?}` runs its cases (all, or those named) and answers
  each case's outcome, differences and the expected and actual texts of a diff view;
- `scriptcontract.listCases` `{uri}` answers the cases and where they are, and the file's
  mistakes (what a test explorer shows before anything runs);
- `scriptcontract.addCase` `{uri, name?}` adds the script's last run (with inputs) as a case,
  through a workspace edit of its cases file (created when there is none).

`scriptcontract.findCasesFiles` `{uri}` takes a folder instead, and answers `{files}`: the
URIs of the cases files below it that `scriptcontract test` would run there, sorted (an
editor's "test all" runs those, each with runCases).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcRequestCancelled

from scriptcontract.lsp.case_runs import CasesRefused, range_json, span_range
from scriptcontract.lsp.commands import _argument, cancellable
from scriptcontract.lsp.documents import path_of, split_lines
from scriptcontract.lsp.names import ADD_CASE, FIND_CASES_FILES, LIST_CASES, RUN_CASES
from scriptcontract.lsp.server import ScriptContractServer

if TYPE_CHECKING:
    from scriptcontract.cases.matching import Actual
    from scriptcontract.lsp.case_arguments import AddCaseArguments


def register(server: ScriptContractServer) -> None:
    @server.command(RUN_CASES)
    async def run_cases(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.case_arguments import CasesArguments

        arguments = _argument(RUN_CASES, args, CasesArguments)
        token = cancellable(ls)
        try:
            return await ls.case_runs.run(
                arguments.uri, arguments.names, token, arguments.schema_check
            )
        except CasesRefused as exc:
            refused: dict[str, Any] = {"error": str(exc), "cases": []}
            if exc.anyway is not None:
                refused["runAnyway"] = exc.anyway
            if exc.refused is not None:
                refused["refused"] = exc.refused
                refused["casesUri"] = exc.cases_uri
            # The editors' own clients say a refusal they can offer to override themselves,
            # with the offer: one message, not the server's and theirs.
            if exc.anyway is None or not ls.caps.shows_run_outcomes:
                ls.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Warning, message=str(exc))
                )
            return refused
        except asyncio.CancelledError:
            # See commands.py: a bare CancelledError would leave the request unanswered.
            message = "the cases were cancelled and their runs killed"
            raise JsonRpcRequestCancelled(message) from None

    @server.command(LIST_CASES)
    async def list_cases(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.case_arguments import CasesArguments

        arguments = _argument(LIST_CASES, args, CasesArguments)
        try:
            files = ls.case_runs.files_of(arguments.uri)
            cases = await ls.case_runs.load(files)
        except CasesRefused as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc
        answer: dict[str, Any] = {
            "casesUri": files.cases_uri,
            "scriptUri": files.script_uri,
            "exists": cases is not None,
            "cases": [],
            "problems": [],
        }
        if cases is None:
            return answer
        lines = split_lines(cases.text)
        encoding = ls.caps.position_encoding
        run = ls.case_runs.last_run(files.cases_uri)
        for name, node in cases.case_names():
            where = span_range(cases, lines, node.start, node.end, encoding)
            outcome = run.outcome(name) if run is not None and run.text == cases.text else None
            answer["cases"].append({"name": name, "range": range_json(where), "outcome": outcome})
        for problem in cases.problems:
            where = span_range(cases, lines, problem.start, problem.end, encoding)
            answer["problems"].append({"message": problem.describe(), "range": range_json(where)})
        return answer

    @server.command(ADD_CASE)
    async def add_case(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.case_arguments import AddCaseArguments

        arguments = _argument(ADD_CASE, args, AddCaseArguments)
        return await _add_case(ls, arguments)

    @server.command(FIND_CASES_FILES)
    async def find_cases_files(ls: ScriptContractServer, *args: Any) -> dict[str, Any]:
        from scriptcontract.lsp.case_arguments import FolderArguments

        arguments = _argument(FIND_CASES_FILES, args, FolderArguments)
        folder = path_of(arguments.uri)
        if folder is None or not folder.is_dir():
            raise JsonRpcInvalidParams(f"{FIND_CASES_FILES}: {arguments.uri} is not a folder")
        return {"files": await asyncio.to_thread(_cases_files, folder)}


async def _add_case(ls: ScriptContractServer, arguments: AddCaseArguments) -> dict[str, Any]:
    last = ls.runs.last_run(arguments.uri)
    if last is None:
        raise JsonRpcException(
            "no run to add: run the script with inputs first (its last run becomes the case)"
        )
    inputs, actual = last
    answer = await add_case_edit(ls, arguments.uri, arguments.name, inputs, actual)
    ls.runs.forget_last_run(arguments.uri)
    return answer


async def add_case_edit(
    ls: ScriptContractServer, uri: str, name: str | None, inputs: dict[str, Any], actual: Actual
) -> dict[str, Any]:
    """Add a case of the script `uri` for this run, as an edit of its cases file the editor
    applies (created when there is none), and tell the user."""
    from scriptcontract.cases.adding import CaseNotAdded, planned_addition

    if not ls.caps.apply_edit:
        raise JsonRpcException("the editor cannot apply workspace edits: no case was added")
    try:
        files = ls.case_runs.files_of(uri)
    except CasesRefused as exc:
        raise JsonRpcInvalidParams(str(exc)) from exc
    root = ls.case_runs.root_of(files.script)
    open_document = ls.documents.get(files.cases_uri)
    try:
        addition = planned_addition(
            root,
            files.script,
            name,
            inputs,
            actual,
            text=open_document.text if open_document is not None else None,
        )
    except CaseNotAdded as exc:
        raise JsonRpcException(str(exc)) from exc
    if addition.document is None:
        edit = _new_file_edit(ls, files.cases_uri, addition.new_text or "")
    else:
        cases = addition.document
        lines = split_lines(cases.text)
        encoding = ls.caps.position_encoding
        text_edits = [
            types.TextEdit(
                range=span_range(cases, lines, item.start, item.end, encoding),
                new_text=item.new_text,
            )
            for item in addition.edits
        ]
        version = open_document.version if open_document is not None else None
        from scriptcontract.lsp.convert import workspace_edit

        edit = workspace_edit(files.cases_uri, version, text_edits, ls.caps)
    response = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=f"Add case {addition.name!r}")
    )
    if not response.applied:
        reason = f": {response.failure_reason}" if response.failure_reason else ""
        raise JsonRpcException(f"the editor did not add the case{reason}")
    # A lens or a code action drops the command's answer: this is what the user sees.
    # The name last and unquoted: by default it is the inputs' JSON, which quoting would escape.
    ls.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Info,
            message=f"Added a case to {files.cases.name}: {addition.name}",
        )
    )
    return {"uri": files.cases_uri, "name": addition.name, "created": addition.document is None}


def _cases_files(folder: Path) -> list[str]:
    """As `scriptcontract test` run in `folder` finds them; off the event loop, as a walk of
    a large workspace (and git's list of its files) takes long."""
    from pygls.uris import from_fs_path

    from scriptcontract.cases.finding import find_cases_files

    found, _ = find_cases_files(["."], folder)
    return [from_fs_path(str(path)) or path.as_uri() for path in sorted(found, key=str)]


def _new_file_edit(ls: ScriptContractServer, uri: str, text: str) -> types.WorkspaceEdit:
    insert = types.TextEdit(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        ),
        new_text=text,
    )
    if not ls.caps.create_files:
        return types.WorkspaceEdit(changes={uri: [insert]})
    return types.WorkspaceEdit(
        document_changes=[
            types.CreateFile(
                # Never over a file made meanwhile: the edit fails instead.
                uri=uri,
                options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
            ),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[insert],
            ),
        ]
    )
