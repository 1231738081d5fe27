"""The workflow-script template in the editor: which documents are offered it, and the edits.

A document gets the template when the configuration treats it as a workflow script and it
holds nothing but whitespace; for completion, nothing but whitespace and the word being
typed at the cursor (`wor`, on the way to `workflow-script`). Both the code action and the
completion item replace the whole document, so the template starts at the first column
whatever blank lines or indentation were there.
"""

from __future__ import annotations

import re

from lsprotocol import types

from scriptcontract.contract.script_template import script_text, snippet_text
from scriptcontract.lsp.convert import position, workspace_edit
from scriptcontract.lsp.documents import Document
from scriptcontract.lsp.server import ScriptContractServer

ACTION_TITLE = "Insert workflow script template"
COMPLETION_LABEL = "workflow-script"
# What a client counts as the word being completed: `workflow-script` and its prefixes.
_WORD_BEFORE = re.compile(r"[\w-]*\Z")
# A document with more than this besides whitespace is past the template.
_MOST_TYPED = 64


def gets_template(ls: ScriptContractServer, document: Document, text: str) -> bool:
    """True when `text` (the document, or what is left of it without the word being typed)
    is blank and the document is a workflow script."""
    if text.strip():
        return False
    from scriptcontract.lsp.lint import is_script

    settings = ls.configuration.for_document(document)
    return is_script(
        document.text, document.path, settings.root, settings.lint, document.language_id
    )


def _position_at(ls: ScriptContractServer, document: Document, offset: int) -> types.Position:
    line, column = document.position_at(offset)
    return position(document.lines, line, column, ls.caps.position_encoding)


def _edit(
    ls: ScriptContractServer, document: Document, start: int, end: int, text: str
) -> types.TextEdit:
    where = types.Range(
        start=_position_at(ls, document, start), end=_position_at(ls, document, end)
    )
    return types.TextEdit(range=where, new_text=text)


def template_action(
    ls: ScriptContractServer, document: Document, diagnostics: list[types.Diagnostic]
) -> types.CodeAction | None:
    """The template action for a blank script. It fixes what a blank script is told (no
    stdin read, no JSON written), so it carries those diagnostics."""
    if not gets_template(ls, document, document.text):
        return None
    edit = _edit(ls, document, 0, len(document.text), script_text())
    return types.CodeAction(
        title=ACTION_TITLE,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        edit=workspace_edit(document.uri, document.version, [edit], ls.caps),
    )


def template_completion(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> types.CompletionItem | None:
    """The `workflow-script` item: the template as a snippet, or as plain text for a client
    without snippets. The main edit replaces the word typed (clients filter on it and want
    it on the cursor's line); the text around it goes in additional edits."""
    if len(document.text.strip()) > _MOST_TYPED:
        return None  # the common case, a script being written: answered without more work
    cursor = document.offset_at(where.line, where.character, ls.caps.position_encoding)
    line_start = document.line_starts[document.position_at(cursor)[0]]
    word = _WORD_BEFORE.search(document.text, line_start, cursor)
    start = word.start() if word is not None else cursor
    if not gets_template(ls, document, document.text[:start] + document.text[cursor:]):
        return None
    snippets = ls.caps.completion_snippets
    around = [
        _edit(ls, document, cursor, len(document.text), ""),
        _edit(ls, document, 0, start, ""),
    ]
    return types.CompletionItem(
        label=COMPLETION_LABEL,
        kind=types.CompletionItemKind.Snippet,
        detail="Workflow script template",
        documentation=types.MarkupContent(
            kind=types.MarkupKind.PlainText,
            value="A workflow script that keeps the contract: JSON inputs on stdin, one "
            "JSON object on stdout, exit 0 or 1.",
        ),
        filter_text=COMPLETION_LABEL,
        insert_text_format=(
            types.InsertTextFormat.Snippet if snippets else types.InsertTextFormat.PlainText
        ),
        # The template's indentation is Python's: the client must not re-indent it.
        insert_text_mode=types.InsertTextMode.AsIs,
        text_edit=_edit(ls, document, start, cursor, snippet_text() if snippets else script_text()),
        additional_text_edits=[edit for edit in around if edit.range.start != edit.range.end]
        or None,
    )
