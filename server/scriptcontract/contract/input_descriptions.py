"""What each input key means, in the script's own words: its docstrings, else its comments.

- A section of the module's docstring, or of the docstring of a function the inputs are
  passed to, headed `Inputs:`, `Args:`, `Arguments:`, `Parameters:` or `Keys:`, with one
  entry per key, Google style: `name: what it is` or `name (type): what it is`, longer
  descriptions continued on lines indented deeper;
- else the comment at the end of the line where the key is first read
  (`name = inputs.get("name", "World")  # who to greet`).

Pure, never raises: whatever cannot be read gives no description.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable

from scriptcontract.contract.inputs_template import InputKey
from scriptcontract.contract.positions import split_lines

_SECTION = re.compile(r"^(\s*)(inputs|args|arguments|parameters|keys)\s*:\s*$", re.IGNORECASE)
# What every line `_SECTION` matches holds: a docstring without it has no section.
_HEADER = re.compile(r"(inputs|args|arguments|parameters|keys)\s*:", re.IGNORECASE)
_ENTRY = re.compile(r"^(\s*)([\w.-]+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_LAYOUT = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
_DOCUMENTED = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Comments that are directives to a tool, not words for a reader.
_DIRECTIVE = re.compile(r"^#\s*(noqa|type:|scriptcontract:|pragma|fmt:|pyright:|mypy:)")


def key_descriptions(
    source: str, documented: Iterable[ast.AST], keys: list[InputKey]
) -> dict[str, str]:
    """Description by key name, for the keys in `keys` that have one."""
    wanted = {key.name for key in keys}
    found: dict[str, str] = {}
    for node in documented:
        if not isinstance(node, _DOCUMENTED) or not _may_have_sections(node):
            continue
        docstring = ast.get_docstring(node)
        if docstring:
            for name, text in _sections(docstring):
                if name in wanted and name not in found:
                    found[name] = text
    lines = split_lines(source)  # as the parser numbers them (not at form feeds)
    for key in keys:
        if key.name in found or not key.reads:
            continue
        line = key.reads[0].start.line
        comment = _end_comment(lines[line]) if 0 <= line < len(lines) else None
        if comment:
            found[key.name] = comment
    return found


def _may_have_sections(
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
) -> bool:
    """Whether the node's docstring, as written, could hold a section: cleaning it
    (`ast.get_docstring`) and reading it line by line cost more than the rest of the
    descriptions, and most docstrings have none (profiled)."""
    first = node.body[0] if node.body else None
    if not isinstance(first, ast.Expr) or not isinstance(first.value, ast.Constant):
        return False
    text = first.value.value
    return isinstance(text, str) and _HEADER.search(text) is not None


def _sections(docstring: str) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    section_indent: int | None = None
    entry_indent: int | None = None
    for line in docstring.splitlines():
        header = _SECTION.match(line)
        if header:
            section_indent, entry_indent = len(header.group(1)), None
            continue
        if section_indent is None:
            continue
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent <= section_indent:
            section_indent = None  # the section ended
            continue
        entry = _ENTRY.match(line)
        if entry and (entry_indent is None or indent <= entry_indent):
            entry_indent = indent
            entries.append((entry.group(2), entry.group(3).strip()))
        elif entries and entry_indent is not None and indent > entry_indent:
            name, text = entries[-1]
            entries[-1] = (name, f"{text} {line.strip()}".strip())
    return [(name, text) for name, text in entries if text]


def _end_comment(line: str) -> str | None:
    """The comment ending a line of code (only that line is tokenized: a key is read on a
    line of code, and tokenizing the whole file for a few lines cost more than the rest)."""
    if "#" not in line:
        return None
    comment: str | None = None
    code = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.COMMENT:
                comment = token.string
            elif token.type not in _LAYOUT:
                code = True
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        pass  # a line that continues the next: what was read before the end counts
    if comment is None or not code or _DIRECTIVE.match(comment):
        return None
    return comment.lstrip("#").strip() or None
