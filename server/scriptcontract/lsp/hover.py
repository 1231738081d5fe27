"""textDocument/hover: a rule's summary on its code in a suppression comment, and what the
script expects of an input key on the key's string."""

from __future__ import annotations

import json

from lsprotocol import types

from scriptcontract.lsp.convert import code_point_column
from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.rule_info import default_docs_url, rule_info
from scriptcontract.lsp.server import ScriptContractServer
from scriptcontract.lsp.suppression import code_at


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ScriptContractServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        line = params.position.line
        column = code_point_column(
            document.lines, line, params.position.character, ls.caps.position_encoding
        )
        markdown = ls.caps.hover_markdown
        named = code_at(document.line(line), column)
        text: str | None
        if named is not None:
            text = _rule_text(named.code, markdown)
        else:
            text = _input_text(document, line, column, markdown)
        if text is None:
            return None
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text))


def _code(text: str, markdown: bool) -> str:
    return f"`{text}`" if markdown else text


def _rule_text(code: str, markdown: bool) -> str:
    info = rule_info(code)
    if info is None:
        url = default_docs_url(code)
        head = f"**{code}**" if markdown else code
        link = f"[Rule documentation]({url})" if markdown else url
        return f"{head}: no rule with this code is known to this version.\n\n{link}"
    title = f"**{info.code}** {_code(info.name, markdown)}" if info.name else f"**{info.code}**"
    if not markdown:
        title = f"{info.code} {info.name}".strip()
    link = f"[Rule documentation]({info.docs_url})" if markdown else info.docs_url
    return "\n\n".join(part for part in (title, info.summary, link) if part)


def _input_text(document: Document, line: int, column: int, markdown: bool) -> str | None:
    from scriptcontract.contract.inputs_template import infer_inputs

    key = infer_inputs(document.text).key_at(line, column)
    if key is None:
        return None
    name = _code(json.dumps(key.name, ensure_ascii=False), markdown)
    if key.required:
        expects = "required: the script fails without it"
    elif key.has_default and key.default_text is not None:
        expects = f"optional, default {_code(key.default_text, markdown)}"
    elif key.has_default:
        expects = (
            f"optional, default {_code(json.dumps(key.default, ensure_ascii=False), markdown)}"
        )
    else:
        expects = "optional (the script checks whether it is there)"
    where = ", ".join(str(read.start.line + 1) for read in key.reads)
    head = f"**Input {name}**" if markdown else f"Input {name}"
    return f"{head}: {expects}.\n\nRead on line{'s' if len(key.reads) > 1 else ''} {where}."
