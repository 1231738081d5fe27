"""Which `print()` or `sys.stdout.write()` call of a script wrote a given line of stdout.

Used when a run's stdout is not one JSON document: the stray line is matched against the
literal parts of every call that writes to stdout (f-string holes and other expressions
match anything). Only a call with some literal text that matches is an answer; when none
can tell, there is no answer rather than a guess.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from scriptcontract.lsp.documents import split_lines


@dataclass(frozen=True)
class CallSite:
    line: int  # 0-based
    start: int  # code points
    end_line: int
    end: int


def stray_stdout_line(stdout: str) -> str | None:
    """The first stdout line that is not the JSON document: text before or after it."""
    text = stdout.strip()
    if not text:
        return None
    if text[0] in "{[":
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except (ValueError, RecursionError):
            return None  # broken JSON, not stray text
        rest = text[end:].strip()
        return rest.splitlines()[0].strip() if rest else None
    return text.splitlines()[0].strip()


def find_writer(source: str, stray: str) -> CallSite | None:
    """The call whose output matches `stray`, or None when the source cannot tell."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = split_lines(source)
    best: tuple[int, ast.Call] | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        pattern = _output_pattern(node)
        if pattern is None:
            continue
        regex, literal_chars = pattern
        if literal_chars == 0 or not re.fullmatch(regex, stray, re.DOTALL):
            continue
        if best is None or literal_chars > best[0]:
            best = (literal_chars, node)
    if best is None:
        return None
    call = best[1]
    end_line = (call.end_lineno or call.lineno) - 1
    return CallSite(
        line=call.lineno - 1,
        start=_column(lines, call.lineno - 1, call.col_offset),
        end_line=end_line,
        end=_column(lines, end_line, call.end_col_offset or call.col_offset),
    )


def _column(lines: list[str], line: int, byte_offset: int) -> int:
    text = lines[line] if 0 <= line < len(lines) else ""
    return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "ignore"))


def _writes_stdout(call: ast.Call) -> list[ast.expr] | None:
    """The written arguments of a call that writes to stdout, else None."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "print":
        for keyword in call.keywords:
            if keyword.arg == "file" and not _is_stdout(keyword.value):
                return None
        return list(call.args)
    if isinstance(func, ast.Attribute) and func.attr == "write" and _is_stdout(func.value):
        return list(call.args[:1])
    return None


def _is_stdout(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "stdout"
    return isinstance(node, ast.Name) and node.id == "stdout"


def _is_json_dump(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("dumps", "dump")
    )


def _output_pattern(call: ast.Call) -> tuple[str, int] | None:
    args = _writes_stdout(call)
    if args is None or any(_is_json_dump(arg) for arg in args):
        return None
    parts: list[str] = []
    literal_chars = 0
    for arg in args:
        piece, count = _arg_pattern(arg)
        parts.append(piece)
        literal_chars += count
    return r"\s*" + " ".join(parts) + r"\s*", literal_chars


def _arg_pattern(arg: ast.expr) -> tuple[str, int]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        text = arg.value.strip()
        return re.escape(text), len(text)
    if isinstance(arg, ast.JoinedStr):
        pieces: list[str] = []
        count = 0
        for value in arg.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                pieces.append(re.escape(value.value))
                count += len(value.value.strip())
            else:
                pieces.append(".*?")
        return r"\s*" + "".join(pieces) + r"\s*", count
    return ".*?", 0
