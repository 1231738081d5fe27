"""Why a run failed, in the user's words, and the line it most likely failed on.

Pure: an error text and the script's source in, a reason and a range out. A script that
catches its exception and prints its own error object leaves no traceback, but its error
usually names what went wrong: an input key (`KeyError 'name'`) or a file
(`Permission denied: '/etc/passwd'`). The read of that key, or the string literal naming
that file (else the one path the analyser flagged), is the most likely line; the entry line
is only the last resort. The same reasons are added to a traceback's exception, which
already has its line.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

from scriptcontract.contract.finding import Range
from scriptcontract.contract.inputs_template import InputsTemplate, infer_inputs
from scriptcontract.lsp.documents import split_lines

_KEY_ERROR = re.compile(r"""\bKeyError\b:?\s*(?P<quote>['"])(?P<key>[^'"]*)(?P=quote)""")
_FILE_ERROR = re.compile(
    r"""\[Errno (?P<errno>\d+)\] (?P<what>[^:\[\]]+): (?P<quote>['"])(?P<path>[^'"]+)(?P=quote)"""
)
# What the executor appends to a refused write inside the project (project_layout.py).
_LAYOUT_HINT = re.compile(
    r" \((?P<hint>[^()]*? (?:would be a new entry at the project's top level|is a protected path)"
    r".*)\)\s*$",
    re.DOTALL,
)
EACCES, ENOENT = 13, 2


@dataclass(frozen=True)
class FailureSite:
    """The most likely line of a failure (None: nothing better than the entry line), and why."""

    range: Range | None
    reason: str | None


@dataclass(frozen=True)
class _Context:
    source: str
    root: Path
    filesystem_confined: bool
    flagged_paths: list[Range]


def failure_site(
    error: str,
    *,
    source: str,
    root: Path,
    filesystem_confined: bool,
    executor_error: str | None = None,
    flagged_paths: list[Range] | None = None,
) -> FailureSite:
    """Where the failure described by `error` most likely happened, and why.

    `executor_error`: the result's own error, which may explain a refused write inside the
    project; `flagged_paths`: the ranges of paths the analyser flagged (SCR301 and kin).
    """
    ctx = _Context(source, root, filesystem_confined, list(flagged_paths or []))
    key = _KEY_ERROR.search(error)
    if key is not None:
        site = _input_key(key["key"], infer_inputs(source))
        if site is not None:
            return site
    file_error = _FILE_ERROR.search(error)
    if file_error is not None:
        return _file(ctx, int(file_error["errno"]), file_error["path"], executor_error)
    return FailureSite(None, None)


def _input_key(name: str, template: InputsTemplate) -> FailureSite | None:
    for key in template.keys:
        if key.name == name and key.reads:
            return FailureSite(key.reads[0], f'the inputs have no "{name}"')
    return None


def _file(ctx: _Context, errno: int, named: str, executor_error: str | None) -> FailureSite:
    where = _literal_naming(ctx.source, named)
    if where is None and len(ctx.flagged_paths) == 1:
        where = ctx.flagged_paths[0]
    reason = None
    if errno == EACCES:
        reason = layout_hint(executor_error)
        if reason is None and ctx.filesystem_confined and _outside(named, ctx.root):
            reason = (
                f"the sandbox refused it: {named} is outside the project "
                "(sandbox.read-paths and write-paths allow more)"
            )
    elif errno == ENOENT and not os.path.isabs(named):
        reason = f"no such file: {named} (a relative path starts at the project root)"
    return FailureSite(where, reason)


def layout_hint(executor_error: str | None) -> str | None:
    """The executor's explanation of a refused write inside the project, if it gave one."""
    hint = _LAYOUT_HINT.search(executor_error or "")
    return f"the sandbox refused it: {hint['hint']}" if hint is not None else None


def without_layout_hint(error: str) -> str:
    """The error without the executor's explanation (shown as the reason instead)."""
    hint = _LAYOUT_HINT.search(error)
    return error[: hint.start()] if hint is not None else error


def _outside(named: str, root: Path) -> bool:
    if not os.path.isabs(named):
        return False
    path = os.path.normpath(named)
    base = os.path.normpath(str(root))
    return path != base and not path.startswith(base.rstrip(os.sep) + os.sep)


def _literal_naming(source: str, named: str) -> Range | None:
    """The first string literal whose text is `named` (or ends with it, for a path that was
    made absolute or joined to a folder)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    exact: list[ast.Constant] = []
    tail: list[ast.Constant] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value):
            continue
        if node.value == named:
            exact.append(node)
        elif named.endswith("/" + node.value.lstrip("/")) or node.value.endswith("/" + named):
            tail.append(node)
    found = exact or tail
    if not found:
        return None
    first = min(found, key=lambda node: (node.lineno, node.col_offset))
    return _range(first, split_lines(source))


def _range(node: ast.Constant, lines: list[str]) -> Range:
    line = node.lineno - 1
    end_line = (node.end_lineno or node.lineno) - 1
    text = lines[line] if 0 <= line < len(lines) else ""
    end_text = lines[end_line] if 0 <= end_line < len(lines) else ""
    return Range.of(
        line,
        _column(text, node.col_offset),
        end_line,
        _column(end_text, node.end_col_offset or node.col_offset),
    )


def _column(text: str, byte_offset: int) -> int:
    """ast counts columns in UTF-8 bytes; findings count code points."""
    if text.isascii():
        return byte_offset
    return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "ignore"))
