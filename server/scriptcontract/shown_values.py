"""A value as an error message shows it: the `repr` a user recognises, cut to a line.

Messages about configuration and settings echo the wrong value back (`(got 'fast')`). The
value comes from a file or a client the user controls, possibly one a script wrote: a
megabyte string or a list nested hundreds deep must not become a megabyte message or a
`RecursionError`. `reprlib` bounds the depth and the items looked at before the text is
made, so the cost stays small whatever the value.
"""

from __future__ import annotations

import json
import os
import re
import reprlib
from pathlib import Path
from typing import Any, TextIO, cast

LIMIT = 80  # characters of the value shown, the ellipsis included

# What a terminal would act on rather than show, or an XML report cannot hold: C0 controls
# but tab and newline (escape sequences: a colour, a cursor move, a title, a write to the
# clipboard, text hidden from there on), DEL, C1 controls (8-bit CSI), the marks that
# reverse the order text is shown in, lone surrogates, and the two non-characters XML
# refuses.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# The same, but for those JSON's own writer escapes already (C0) or must not see changed.
# A lone surrogate (a script's `"\\ud800"`) too: no encoder can write it, its escape can.
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clipped(text: str, limit: int = LIMIT) -> str:
    """`text` as it is, or its first `limit - 1` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(text: str, limit: int = LIMIT) -> str:
    """The first non-blank line of `text`, clipped: a summary's one line."""
    stripped = text.strip()
    return clipped(stripped.splitlines()[0] if stripped else "", limit)


def shown_value(value: Any, limit: int = LIMIT) -> str:
    """The `repr` of `value`, unchanged when short, bounded when not."""
    shower = reprlib.Repr()
    shower.maxlevel = 4
    shower.maxstring = shower.maxother = shower.maxlong = limit
    shower.maxlist = shower.maxtuple = shower.maxdict = shower.maxset = 12
    return clipped(shower.repr(value), limit)


def printable(text: str) -> str:
    """`text` with what a terminal would act on written as escapes (`\\x1b`, `\\u202e`):
    a script's stderr, error or output, printed by the CLI, must not drive the user's
    terminal (its clipboard, its title, the lines printed before) nor break an XML report."""
    return _UNPRINTABLE.sub(_escape, text)


def printable_name(text: str) -> str:
    """A file name as a report shows it: `printable`, and a newline or tab in it written as
    `\\n`, `\\t` too (a run may name a file so as to add lines to a report)."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


def output_json(output: Any) -> str:
    """A run's JSON document as the user reads it: indented, its keys in the script's order,
    each number as the script wrote it (`6.0`, `12345678901234567890`), which an editor
    decoding the result itself loses (JavaScript's numbers are doubles, Lua's tables have
    no order)."""
    return printable_json(json.dumps(output, indent=2, ensure_ascii=False))


def printable_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the characters a terminal
    would act on written as JSON escapes (`\\u009b`): still the same JSON."""
    return _UNPRINTABLE_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


# The colours `check` draws its report with (`check/formats.py`'s `Style`): bold, dim, cyan,
# bold red, reset. None hides, moves or erases text, sets a title or writes the clipboard,
# so one a run could slip through in a name shows no more than a colour.
_OWN_STYLE = "\x1b\\[(?:0|1|2|36|1;31)m"
_UNPRINTABLE_OR_OWN_STYLE = re.compile(f"({_OWN_STYLE})|{_UNPRINTABLE.pattern}")

# What a CI runner reading the output obeys rather than shows (the fourteenth red team):
# Azure Pipelines' agent acts on `##vso[` anywhere in a line (`##vso[task.prependpath]`:
# what later steps run), GitHub's runner on `##[` anywhere in a line (its older form) and on
# `::` opening a line after whitespace (`::add-mask::`, `::stop-commands::`, annotations),
# TeamCity on `##teamcity[`. Any `##`, a short word and a `[` is taken for one: a runner's
# form not listed here is refused too. The group is the character written as its JSON
# escape instead, `\u005b` or `\u003a`: the marker is then shown, and JSON text stays the
# same JSON (a `#` is only ever inside one of its strings, and none of its lines opens with
# a colon). The character is the marker's last, so it is always in the text being written,
# whatever the writes before left.
_CI_MARKER = re.compile(r"##[A-Za-z]{0,16}(\[)|\n[^\S\n]*:(:)")
# Each half apart, to look for first: a pattern opening with a literal is searched for by
# that literal, eight times faster than the alternation over a report of 100,000 lines.
_CI_HALVES = (re.compile(r"##[A-Za-z]{0,16}\["), re.compile(r"\n[^\S\n]*::"))
_CI_ESCAPES = {"[": "\\u005b", ":": "\\u003a"}
# Commands scriptcontract writes itself (`check --output-format github|azure`, `test
# --format github`): only at the start of a line written through `write_commands`.
_OWN_COMMAND = re.compile(r"::|##vso\[")
_TAIL = 18  # characters of a line kept between writes: `##` and a word before a `[`


class PrintedStream:
    """A text stream (stdout, stderr) every write to which reaches the terminal shown, never
    obeyed: what `printable` writes as text is written as text here, whatever code path made
    the message. Each message the CLI prints may hold a name or a value a run chose (a
    folder named `scripts/\x1b]52;c;...`); escaping each one where it is made missed some
    (the eleventh red team), so the one place all of them pass is the gate."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        # The end of the line written so far, enough to find a marker split across writes:
        # a newline and what opens the line while that is blanks and at most one colon,
        # else its last characters.
        self._tail = "\n"

    def write(self, text: str) -> int:
        self._write_shown(text)
        return len(text)

    def write_commands(self, text: str) -> int:
        """`text`, lines each of which is a CI command scriptcontract made (its fields
        escaped by the format): the marker opening each line is obeyed, the rest of it is
        shown as `write` shows it."""
        for line in text.splitlines(keepends=True):
            own = _OWN_COMMAND.match(line) if self._tail == "\n" else None
            if own is not None:
                self.stream.write(own[0])
                self._tail = own[0][-_TAIL:]
                line = line[own.end() :]
            self._write_shown(line)
        return len(text)

    def _write_shown(self, text: str) -> None:
        shown = text
        if _UNPRINTABLE.search(text) is not None:  # most text holds none: a scan, no copy
            shown = _UNPRINTABLE_OR_OWN_STYLE.sub(_escape_unless_own_style, text)
        tail = self._tail
        probe = tail + shown
        if any(half.search(probe) is not None for half in _CI_HALVES):
            shown = _CI_MARKER.sub(lambda match: _ci_escaped(match, len(tail)), probe)[len(tail) :]
            probe = tail + shown
        self._tail = _line_tail(probe)
        self.stream.write(shown)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def printed_stream(stream: TextIO) -> TextIO:
    """`stream` behind the gate (once: a gated stream is returned as it is)."""
    if isinstance(stream, PrintedStream):
        return stream
    # A TextIO in all it is used for: write, and the rest passed through.
    return cast(TextIO, PrintedStream(stream))


def _ci_escaped(match: re.Match[str], written: int) -> str:
    """The marker `match` found, its last character escaped unless it was written before
    (`written`: the length of the tail kept from earlier writes)."""
    index = match.lastindex or 0
    if match.start(index) < written:
        return match[0]
    return match[0][: match.start(index) - match.start()] + _CI_ESCAPES[match[index]]


def _line_tail(probe: str) -> str:
    line = probe[probe.rfind("\n") + 1 :]
    if probe.rfind("\n") >= 0 and re.fullmatch(r"[^\S\n]*:?", line):
        return "\n" + line.strip()
    return line[-_TAIL:]


def write_as_is(stream: TextIO, text: str) -> None:
    """`text` to `stream` unchanged, past the gate: only for the text its caller passed in
    and asked back (`check --fix -` gives its stdin back fixed, as formatters do), which is
    theirs to read as it is: `b"##vso["` shown as `b"##vso\\u005b"` would be another
    program."""
    if isinstance(stream, PrintedStream):
        stream.stream.write(text)
        stream._tail = _line_tail("\n" + text)
    else:
        stream.write(text)


def write_commands(stream: TextIO, text: str) -> None:
    """`text`, a CI format's commands, to `stream`: through the gate's `write_commands`
    where the stream is the gate (stdout, stderr), as it is to a report file."""
    if isinstance(stream, PrintedStream):
        stream.write_commands(text)
    else:
        stream.write(text)


def _escape_unless_own_style(match: re.Match[str]) -> str:
    return match[1] or _escape(match)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def typed_path(path: Path) -> str:
    """`path` as the user would type it from here: relative to the current directory when
    inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)
