"""textDocument/hover: a rule's summary and docs link on a finding (every client gets the
link this way, also one that does not show `codeDescription`, like Neovim 0.11) and on its
code in a suppression comment, and what the script expects of an input key on its string
(in the script, and in its inputs files)."""

from __future__ import annotations

import json
import re

from lsprotocol import types

from scriptcontract.lsp.convert import code_point_column
from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.input_keys import is_inputs_file, key_hover
from scriptcontract.lsp.rule_info import docs_url, rule_info
from scriptcontract.lsp.server import ScriptContractServer
from scriptcontract.lsp.suppression import code_at

_BACKTICKS = re.compile("`+")
_LINE_ENDS = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def register(server: ScriptContractServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ScriptContractServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        if is_inputs_file(ls, document):
            return await key_hover(ls, document, params.position)
        line = params.position.line
        column = code_point_column(
            document.lines, line, params.position.character, ls.caps.position_encoding
        )
        markdown = ls.caps.hover_markdown
        docs = ls.configuration.for_document(document).client.docs.base_url
        named = code_at(document.line(line), column)
        parts: list[str] = []
        if named is not None:
            parts.append(_rule_text(named.code, markdown, docs))
        else:
            parts += [
                _rule_text(code, markdown, docs) for code in _codes_at(ls, document, line, column)
            ]
            inputs = await _input_text(document, line, column, markdown)
            if inputs is not None:
                parts.append(inputs)
        if not parts:
            return None
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        separator = "\n\n---\n\n" if markdown else "\n\n"
        return types.Hover(contents=types.MarkupContent(kind=kind, value=separator.join(parts)))


def _codes_at(ls: ScriptContractServer, document: Document, line: int, column: int) -> list[str]:
    """The rules of the findings shown at (line, code-point column), each once."""
    last = ls.linter.last(document.uri)
    if last is None or last.text != document.text:
        return []
    codes: list[str] = []
    for finding in last.findings:
        start, end = finding.range.start, finding.range.end
        inside = (start.line, start.character) <= (line, column) <= (end.line, end.character)
        if inside and finding.code not in codes:
            codes.append(finding.code)
    return codes


def _code(text: str, markdown: bool) -> str:
    """`text` (from the script: a run may have written it) as one markdown code span, which
    it cannot leave: fenced by more backticks than it holds in a row, on one line (a blank
    line would end the paragraph, the span unclosed). Else an image in it, whose address
    carries what a run read, was fetched by the editor on hover."""
    if not markdown:
        return text
    flat = _LINE_ENDS.sub(" ", text)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(flat)), default=0) + 1)
    return f"{fence} {flat} {fence}"


def _rule_text(code: str, markdown: bool, docs: str | None) -> str:
    url = docs_url(code, docs)
    link = f"[Rule documentation]({url})" if markdown else url
    info = rule_info(code)
    if info is None:
        head = f"**{code}**" if markdown else code
        return f"{head}: no rule with this code is known to this version.\n\n{link}"
    title = f"**{info.code}** {_code(info.name, markdown)}" if info.name else f"**{info.code}**"
    if not markdown:
        title = f"{info.code} {info.name}".strip()
    return "\n\n".join(part for part in (title, info.summary, link) if part)


async def _input_text(document: Document, line: int, column: int, markdown: bool) -> str | None:
    from scriptcontract.contract.inputs_template import infer_inputs

    text = document.line(line)
    if '"' not in text and "'" not in text:
        return None  # no key's string on this line: the inference (a parse) is not needed
    inputs = await document.derived_off_loop("inputs", infer_inputs)
    if inputs is None:
        return None  # the script changed while its inputs were inferred: no stale answer
    key = inputs.key_at(line, column)
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
