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
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from scriptcontract.contract.finding import Range
from scriptcontract.contract.inputs_template import InputsTemplate, infer_inputs
from scriptcontract.lsp.documents import split_lines
from scriptcontract.sandbox_reasons import FILE_ERROR, file_reason, sandbox_reason

_KEY_ERROR = re.compile(r"""\bKeyError\b:?\s*(?P<quote>['"])(?P<key>[^'"]*)(?P=quote)""")


@dataclass(frozen=True)
class FailureSite:
    """The most likely line of a failure (None: nothing better than the entry line), and why."""

    range: Range | None
    reason: str | None


@dataclass(frozen=True)
class _Context:
    source: str
    root: Path
    enforced: Collection[str]
    flagged_paths: list[Range]


def failure_site(
    error: str,
    *,
    source: str,
    root: Path,
    enforced: Collection[str],
    executor_error: str | None = None,
    flagged_paths: list[Range] | None = None,
) -> FailureSite:
    """Where the failure described by `error` most likely happened, and why.

    `enforced`: the protections the run had; `executor_error`: the result's own error, which
    may explain a refused write inside the project; `flagged_paths`: the ranges of paths the
    analyser flagged (SCR301 and kin).
    """
    ctx = _Context(source, root, enforced, list(flagged_paths or []))
    key = _KEY_ERROR.search(error)
    if key is not None:
        site = _input_key(key["key"], infer_inputs(source))
        if site is not None:
            return site
    file_error = FILE_ERROR.search(error)
    if file_error is not None:
        return _file(ctx, int(file_error["errno"]), file_error["path"], executor_error)
    reason = sandbox_reason(error, root=root, enforced=enforced, executor_error=executor_error)
    return FailureSite(None, reason)


def _input_key(name: str, template: InputsTemplate) -> FailureSite | None:
    for key in template.keys:
        if key.name == name and key.reads:
            return FailureSite(key.reads[0], f'the inputs have no "{name}"')
    return None


def _file(ctx: _Context, errno: int, named: str, executor_error: str | None) -> FailureSite:
    where = _literal_naming(ctx.source, named)
    if where is None and len(ctx.flagged_paths) == 1:
        where = ctx.flagged_paths[0]
    reason = file_reason(
        errno,
        named,
        root=ctx.root,
        filesystem_confined="filesystem" in ctx.enforced,
        executor_error=executor_error,
    )
    return FailureSite(where, reason)


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
