"""textDocument/diagnostic: the pull answer, with result ids and "unchanged" reports."""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.convert import LINT_SOURCE
from scriptcontract.lsp.server import ScriptContractServer

Report = types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport


def register(server: ScriptContractServer) -> None:
    options = types.DiagnosticOptions(
        identifier=LINT_SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
    )

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, options)
    async def diagnostic(
        ls: ScriptContractServer, params: types.DocumentDiagnosticParams
    ) -> Report:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        await ls.configuration.ready.wait()
        await ls.linter.lint_current(document, for_pull=True)
        await ls.input_files.settled(uri)
        await ls.case_runs.settled(uri)
        return ls.diagnostics.report(uri, params.previous_result_id)
