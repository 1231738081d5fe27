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

_SECTION = re.compile(r"^(\s*)(inputs|args|arguments|parameters|keys)\s*:\s*$", re.IGNORECASE)
_ENTRY = re.compile(r"^(\s*)([\w.-]+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
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
        if not isinstance(node, _DOCUMENTED):
            continue
        docstring = ast.get_docstring(node)
        if docstring:
            for name, text in _sections(docstring):
                if name in wanted and name not in found:
                    found[name] = text
    comments = _line_comments(source)
    for key in keys:
        if key.name in found or not key.reads:
            continue
        comment = comments.get(key.reads[0].start.line)
        if comment:
            found[key.name] = comment
    return found


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


def _line_comments(source: str) -> dict[int, str]:
    """The comment at the end of each line (0-based) that has code before it."""
    comments: dict[int, str] = {}
    code_lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            line = token.start[0] - 1
            if token.type == tokenize.COMMENT:
                if line in code_lines and not _DIRECTIVE.match(token.string):
                    comments[line] = token.string.lstrip("#").strip()
            elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT):
                code_lines.add(line)
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        pass  # comments up to the problem are kept
    return {line: text for line, text in comments.items() if text}
