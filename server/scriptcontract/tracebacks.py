"""Read what a Python process left on stderr: tracebacks, stack dumps, `path:line:` lines.

Pure text parsing, no I/O. Lines are 1-based here, as Python prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TRACEBACK_HEADER = "Traceback (most recent call last):"
# `  File "x.py", line 3, in main` (traceback) and `  File "x.py", line 3 in main`
# (faulthandler's stack dump); a SyntaxError's frame has no function. Line numbers have at
# most 9 digits: stderr is the script's to forge, and `int()` refuses 4,300 digits.
_FRAME = re.compile(r'^\s*File "(?P<path>.+)", line (?P<line>\d{1,9})(?:,? in (?P<func>.+))?\s*$')
# `x.py:7: UserWarning: careful`, `scripts/a.py:3: note` (also `C:\x.py:3:` on Windows).
_LOCATED = re.compile(r"^(?P<path>(?:[A-Za-z]:)?[^:\n]+?):(?P<line>\d{1,9}):\s*(?P<message>.*)$")
_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$")
_COMPILE_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})


@dataclass(frozen=True)
class Frame:
    path: str
    line: int
    function: str | None = None


@dataclass
class ParsedTraceback:
    """One traceback block: frames outermost first, and the exception it ended with."""

    frames: list[Frame] = field(default_factory=list)
    exception_type: str = ""
    message: str = ""
    first_line: int = 0  # indexes into the stderr lines this came from
    last_line: int = 0

    @property
    def exception(self) -> str:
        return f"{self.exception_type}: {self.message}" if self.message else self.exception_type


@dataclass(frozen=True)
class LocatedLine:
    """A stderr line that names a file and a line: a frame, a warning, `path:line:`."""

    path: str
    line: int
    message: str
    index: int  # which stderr line


def parse_frame(text: str) -> Frame | None:
    match = _FRAME.match(text)
    if match is None:
        return None
    return Frame(match["path"], int(match["line"]), match["func"])


def last_traceback(lines: list[str]) -> ParsedTraceback | None:
    """The last traceback in `lines` (with chained exceptions, the one that ended the run)."""
    start = None
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip() == TRACEBACK_HEADER:
            start = index
            break
    if start is None:
        return _compile_error(lines)
    parsed = ParsedTraceback(first_line=start, last_line=start)
    index = start + 1
    while index < len(lines):
        line = lines[index]
        frame = parse_frame(line)
        if frame is not None:
            parsed.frames.append(frame)
        elif line and not line[0].isspace():
            match = _EXCEPTION.match(line.strip())
            if match is not None:
                parsed.exception_type = match["type"].rsplit(".", 1)[-1]
                parsed.message = (match["message"] or "").strip()
            else:
                parsed.message = line.strip()
            # A message may run over several lines, until the next blank or header.
            while (
                index + 1 < len(lines)
                and lines[index + 1].strip()
                and lines[index + 1].strip() != TRACEBACK_HEADER
                and parse_frame(lines[index + 1]) is None
                and _LOCATED.match(lines[index + 1]) is None
            ):
                index += 1
                parsed.message = f"{parsed.message}\n{lines[index].rstrip()}".strip()
            parsed.last_line = index
            return parsed
        index += 1
    parsed.last_line = len(lines) - 1
    return parsed


def _compile_error(lines: list[str]) -> ParsedTraceback | None:
    """A script that does not compile ends with no traceback header: its file and line, the
    source line with a caret, then the error (`SyntaxError: '(' was never closed`)."""
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    match = _EXCEPTION.match(lines[last].strip()) if last > 0 else None
    if match is None or match["type"] not in _COMPILE_ERRORS:
        return None
    # The file line is followed by at most the source line and the caret line.
    for index in range(last - 1, max(last - 4, -1), -1):
        frame = parse_frame(lines[index])
        if frame is not None:
            message = (match["message"] or "").strip()
            return ParsedTraceback([frame], match["type"], message, index, last)
    return None


def parse_stack_dump(text: str) -> list[Frame]:
    """Frames of faulthandler's dump (first thread block), outermost first."""
    frames: list[Frame] = []
    seen_block = False
    for line in text.splitlines():
        if line.endswith("(most recent call first):"):
            if seen_block:
                break
            seen_block = True
            continue
        frame = parse_frame(line)
        if frame is not None:
            frames.append(frame)
    frames.reverse()
    return frames


def located_lines(
    lines: list[str], skip: range | None = None
) -> tuple[list[LocatedLine], list[str]]:
    """Split stderr into lines that point at a file line, and the rest.

    The indented source echo that Python prints under a frame or a warning belongs to the
    line above it and goes nowhere. Lines in `skip` (an already reported traceback) too.
    """
    located: list[LocatedLine] = []
    rest: list[str] = []
    echo_allowed = False
    for index, line in enumerate(lines):
        if skip is not None and index in skip:
            echo_allowed = False
            continue
        frame = parse_frame(line)
        if frame is not None:
            where = f"in {frame.function}" if frame.function else "here"
            located.append(LocatedLine(frame.path, frame.line, f"traceback frame {where}", index))
            echo_allowed = True
            continue
        match = _LOCATED.match(line)
        if match is not None and not line[0].isspace():
            located.append(
                LocatedLine(match["path"], int(match["line"]), match["message"].strip(), index)
            )
            echo_allowed = True
            continue
        if echo_allowed and line[:1].isspace():
            continue
        echo_allowed = False
        if line.strip():
            rest.append(line)
    return located, rest
