"""Hover, completion and go to definition on the keys of an inputs file, and completion of
its values (`json_inputs` decides; this module only unpacks the position and packs the
answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptcontract.lsp.convert import lsp_range
from scriptcontract.lsp.documents import Document, split_lines
from scriptcontract.lsp.markdown_text import as_text

# The name a document's outline is kept under (`Document.derived_off_loop`).
OUTLINE = "inputs outline"


if TYPE_CHECKING:
    from scriptcontract.json_inputs.keys import KeyAt, KeyCompletion
    from scriptcontract.json_inputs.outline import Outline
    from scriptcontract.json_inputs.places import FileKind
    from scriptcontract.json_inputs.script_schema import ScriptSchema
    from scriptcontract.json_inputs.values import ValueCompletion
    from scriptcontract.lsp.server import ScriptContractServer


def read_outline(text: str) -> Outline:
    from scriptcontract.json_inputs.outline import read

    return read(text)


def is_inputs_file(ls: ScriptContractServer, document: Document) -> bool:
    return ls.input_files.kind(document) is not None


async def _context(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> tuple[FileKind, Outline, ScriptSchema, int] | None:
    from scriptcontract.json_inputs.places import script_of

    kind = ls.input_files.kind(document)
    if kind is None or document.path is None:
        return None
    schema = await ls.input_files.schema_of(script_of(document.path))
    if schema is None:
        return None
    # Read off the event loop, once per text: a run may have left megabytes in the file the
    # user opens, which took seconds to read, the whole server waiting for each request.
    outline = await document.derived_off_loop(OUTLINE, read_outline)
    if outline is None:
        return None  # the text changed meanwhile: no answer about the old one
    offset = document.offset_at(where.line, where.character, ls.caps.position_encoding)
    return kind, outline, schema, offset


async def _key_under(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> tuple[ScriptSchema, KeyAt] | None:
    from scriptcontract.json_inputs.keys import key_at

    found = await _context(ls, document, where)
    if found is None:
        return None
    kind, outline, schema, offset = found
    key = key_at(kind, outline, offset)
    return (schema, key) if key is not None else None


async def inputs_completion(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> types.CompletionList | None:
    """The keys where a key is typed, the values the schema knows where a value is."""
    from scriptcontract.json_inputs.keys import complete_key
    from scriptcontract.json_inputs.values import complete_value

    found = await _context(ls, document, where)
    if found is None:
        return None
    keys = complete_key(*found)
    if keys is not None:
        return _key_items(ls, document, keys)
    values = complete_value(*found)
    return _value_items(ls, document, values) if values is not None else None


def _value_items(
    ls: ScriptContractServer, document: Document, completion: ValueCompletion
) -> types.CompletionList:
    replaced = ls.input_files.range(document, completion.start, completion.end)
    items = [
        types.CompletionItem(
            label=choice.text,
            kind=types.CompletionItemKind.Value,
            detail=choice.detail,
            documentation=completion.description,
            # Clients filter on the text the edit replaces (`"fa`): the JSON text, quoted.
            filter_text=choice.text,
            sort_text=f"{index:04d}",
            preselect=choice.default or None,
            insert_text_format=types.InsertTextFormat.PlainText,
            text_edit=types.TextEdit(range=replaced, new_text=choice.text + completion.after),
        )
        for index, choice in enumerate(completion.choices)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _key_items(
    ls: ScriptContractServer, document: Document, completion: KeyCompletion
) -> types.CompletionList:
    replaced = ls.input_files.range(document, completion.start, completion.end)
    # Clients filter on the text the edit replaces: with its opening quote, when typed.
    quote = '"' if document.text.startswith('"', completion.start) else ""
    comma = None
    if completion.comma_at is not None:
        at = ls.input_files.range(document, completion.comma_at, completion.comma_at)
        comma = [types.TextEdit(range=at, new_text=",")]
    items = [
        types.CompletionItem(
            label=choice.name,
            kind=types.CompletionItemKind.Property,
            detail=choice.detail,
            documentation=choice.description,
            filter_text=quote + choice.name,
            sort_text=f"{0 if choice.required else 1}{choice.name}",
            insert_text_format=types.InsertTextFormat.PlainText,
            text_edit=types.TextEdit(range=replaced, new_text=choice.insert_text),
            additional_text_edits=comma,
        )
        for choice in completion.choices
    ]
    return types.CompletionList(is_incomplete=False, items=items)


async def key_hover(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> types.Hover | None:
    from scriptcontract.json_inputs.keys import describe_key

    found = await _key_under(ls, document, where)
    if found is None:
        return None
    schema, key = found
    described = describe_key(schema, key.path)
    if described is None:
        return None
    heading, description, reads = described
    markdown = ls.caps.hover_markdown
    # Each part comes from files a run could have written (the inputs file's keys, a
    # declared schema's words, the script's name): text, never markdown.
    shown = as_text if markdown else str
    parts = [f"**{shown(heading)}**" if markdown else heading]
    if description:
        parts.append(shown(description))
    if reads:
        lines = f"line {reads[0]}" if len(reads) == 1 else f"lines {', '.join(map(str, reads))}"
        parts.append(f"Read on {lines} of {shown(schema.script.name)}.")
    kind_of_text = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind_of_text, value="\n\n".join(parts)),
        range=ls.input_files.range(document, key.start, key.end),
    )


async def key_definition(
    ls: ScriptContractServer, document: Document, where: types.Position
) -> list[types.Location] | None:
    from pygls.uris import from_fs_path

    from scriptcontract.json_inputs.keys import definition_lines

    found = await _key_under(ls, document, where)
    if found is None:
        return None
    schema, key = found
    reads = definition_lines(schema, key.path)
    if not reads:
        return None
    script = ls.input_files.script_document(schema.script)
    uri = script.uri if script is not None else from_fs_path(str(schema.script)) or ""
    lines = script.lines if script is not None else split_lines(ls.input_files.source_of(schema))
    encoding = ls.caps.position_encoding
    return [types.Location(uri=uri, range=lsp_range(read, lines, encoding)) for read in reads]
