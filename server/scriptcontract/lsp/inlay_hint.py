"""textDocument/inlayHint: a successful run's outcome beside the script's entry line.

A success is not a problem, so it is not a diagnostic (which would raise the problem count
and be jumped to like an error): it is shown where the code runs from, with the output.
"""

from __future__ import annotations

from lsprotocol import types

from scriptcontract.lsp.convert import position
from scriptcontract.lsp.entry_point import entry_line
from scriptcontract.lsp.server import ScriptContractServer


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    async def inlay_hint(
        ls: ScriptContractServer, params: types.InlayHintParams
    ) -> list[types.InlayHint] | None:
        document = ls.documents.get(params.text_document.uri)
        success = ls.runs.success(params.text_document.uri)
        if document is None or success is None:
            return None
        line = await document.derived_off_loop("entry line", entry_line)
        if line is None:
            return None  # the script changed meanwhile: the client asks again
        if not params.range.start.line <= line <= params.range.end.line:
            return None
        end = position(document.lines, line, len(document.line(line)), ls.caps.position_encoding)
        tooltip: str | types.MarkupContent = f"Output of the last run:\n{success.output}"
        if ls.caps.hover_markdown:
            markdown = f"Output of the last run:\n\n```json\n{success.output}\n```"
            tooltip = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
        return [
            types.InlayHint(position=end, label=success.label, padding_left=True, tooltip=tooltip)
        ]
