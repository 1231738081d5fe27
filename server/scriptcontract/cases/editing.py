"""Edits of a cases file's text: new expectations from a run, a new case from a run.

Only the values that change are rewritten, in the file's own style (its indent, one line or
several as the value was, its line endings): keys keep their order, untouched cases and
values keep their text byte for byte. Edits are spans of the text, so the language server
sends them as a workspace edit and the CLI applies them itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from scriptcontract.cases.json_tree import LineIndex, Member, Node
from scriptcontract.cases.loading import CasesDocument
from scriptcontract.cases.matching import Actual, _Placeholders, compare, json_equal
from scriptcontract.cases.model import Case, Expectation, Placeholder
from scriptcontract.cases.paths import Path

# A value rewritten on one line stays on one line up to this column, else it takes several.
MAX_LINE = 100
DEFAULT_INDENT = "  "
_INDENTED = re.compile(r"(?:\r\n|\r|\n)([ \t]+)\S")


class NotRecorded(Exception):
    """The run cannot become an expectation (it timed out, or never started)."""


@dataclass(frozen=True)
class Edit:
    """Replace `[start, end)` of the text with `new_text`."""

    start: int
    end: int
    new_text: str


def apply_edits(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


class _Style:
    """How the file is written: its indent unit and its line ending."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LineIndex(text)
        found = _INDENTED.search(text)
        self.unit = found.group(1) if found else DEFAULT_INDENT
        if "\t" in self.unit:
            self.unit = "\t"
        self.newline = "\r\n" if "\r\n" in text else "\n"

    def line_indent(self, offset: int) -> str:
        start = self.lines.line_start(offset)
        line = self.text[start:offset]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def render(
        self, value: Any, indent: str, *, several_lines: bool, column: int = 0, room: int = 0
    ) -> str:
        """`value` as JSON text starting at `column` of a line indented by `indent`: on one
        line unless it was on several, or would now reach past MAX_LINE (or `room`, the
        width the text it replaces already took); what is spread over lines keeps on one
        line each part that fits there."""
        compact = json.dumps(value, ensure_ascii=False)
        containers = isinstance(value, (dict, list)) and bool(value)
        fits = column + len(compact) <= max(MAX_LINE, room)
        if not containers or (not several_lines and fits):
            return compact
        return self._spread(value, indent)

    def _spread(self, value: dict[str, Any] | list[Any], indent: str) -> str:
        inner = indent + self.unit
        if isinstance(value, dict):
            parts = []
            for key, item in value.items():
                head = json.dumps(key, ensure_ascii=False) + ": "
                column = len(inner) + len(head)
                parts.append(head + self.render(item, inner, several_lines=False, column=column))
            opening, closing = "{", "}"
        else:
            parts = [
                self.render(item, inner, several_lines=False, column=len(inner)) for item in value
            ]
            opening, closing = "[", "]"
        between = "," + self.newline + inner
        body = between.join(parts)
        return f"{opening}{self.newline}{inner}{body}{self.newline}{indent}{closing}"


def _several_lines(text: str, node: Node) -> bool:
    return "\n" in text[node.start : node.end] or "\r" in text[node.start : node.end]


def _replace(style: _Style, node: Node, value: Any) -> Edit:
    column = node.start - style.lines.line_start(node.start)
    rendered = style.render(
        value,
        style.line_indent(node.start),
        several_lines=_several_lines(style.text, node),
        column=column,
        room=column + node.end - node.start,
    )
    return Edit(node.start, node.end, rendered)


def edits_to(style: _Style, node: Node, new: Any) -> list[Edit]:
    """The smallest edits that turn `node`'s text into the JSON of `new`."""
    if node.kind == "object" and isinstance(new, dict) and node.members:
        return _object_edits(style, node, new)
    if node.kind == "array" and isinstance(new, list) and len(new) == len(node.items) and new:
        return [
            e
            for item, value in zip(node.items, new, strict=True)
            for e in edits_to(style, item, value)
        ]
    if _same(node.value, new):
        return []
    return [_replace(style, node, new)]


def _same(old: Any, new: Any) -> bool:
    """Equal, and written alike (1 stays 1, but 1.0 is rewritten as it came)."""
    return json_equal(old, new) and json.dumps(old) == json.dumps(new)


def _object_edits(style: _Style, node: Node, new: dict[str, Any]) -> list[Edit]:
    kept = [m for m in node.members if m.key in new]
    removed = [m for m in node.members if m.key not in new]
    added = [key for key in new if node.member(key) is None]
    if not kept or (removed and added):
        return [_replace(style, node, new)]
    edits = [e for member in kept for e in edits_to(style, member.value, new[member.key])]
    if removed:
        edits += _removals(node, kept)
    if added:
        edits.append(_insertion(style, node, [(key, new[key]) for key in added]))
    return edits


def _removals(node: Node, kept: list[Member]) -> list[Edit]:
    members = node.members
    last_kept = members.index(kept[-1])
    edits = []
    kept_ids = {id(member) for member in kept}
    for index, member in enumerate(members[:last_kept]):
        if id(member) not in kept_ids:
            edits.append(Edit(member.key_start, members[index + 1].key_start, ""))
    if last_kept < len(members) - 1:
        edits.append(Edit(members[last_kept].value.end, members[-1].value.end, ""))
    return edits


def _separator(text: str, before_end: int, next_start: int) -> str:
    """The whitespace between two members or items (what follows the comma)."""
    between = text[before_end:next_start]
    return between[between.index(",") + 1 :] if "," in between else between


def _insertion(style: _Style, node: Node, pairs: list[tuple[str, Any]]) -> Edit:
    """New members at the end of a non-empty object, laid out like the last one."""
    members = node.members
    if len(members) >= 2:
        separator = _separator(style.text, members[-2].value.end, members[-1].key_start)
    else:
        separator = style.text[node.start + 1 : members[0].key_start]
    separator = separator or " "
    several = _several_lines(style.text, node)
    indent = style.line_indent(members[-1].key_start)
    parts = []
    for key, value in pairs:
        head = json.dumps(key, ensure_ascii=False) + ": "
        column = len(indent) + len(head) if several else 0
        body = style.render(value, indent, several_lines=False, column=column)
        parts.append("," + separator + head + body)
    return Edit(members[-1].value.end, members[-1].value.end, "".join(parts))


# --- expectations from a run -------------------------------------------------------------


def recorded_output(
    output: Any, placeholders: dict[str, Placeholder], old: Any = None, path: Path = ()
) -> Any:
    """The run's output as an expectation: at a placeholder's path the old expected value
    stays (else its marker, `"<timestamp>"`), and keys keep the old order, new ones last."""
    found = _Placeholders(placeholders).at(path) if path else None
    if found is not None:
        return old if old is not None else found.marker
    if isinstance(output, dict):
        previous = old if isinstance(old, dict) else {}
        order = [k for k in previous if k in output] + [k for k in output if k not in previous]
        return {
            k: recorded_output(output[k], placeholders, previous.get(k), (*path, k)) for k in order
        }
    if isinstance(output, list):
        previous_items = old if isinstance(old, list) else []
        return [
            recorded_output(
                item,
                placeholders,
                previous_items[i] if i < len(previous_items) else None,
                (*path, i),
            )
            for i, item in enumerate(output)
        ]
    return output


def _included(old: Any, output: Any, placeholders: dict[str, Placeholder], path: Path = ()) -> Any:
    """`output_includes` brought up to date: the same keys (those still there), new values."""
    if path and _Placeholders(placeholders).at(path) is not None:
        return old
    if isinstance(old, dict) and isinstance(output, dict):
        return {
            k: _included(v, output[k], placeholders, (*path, k))
            for k, v in old.items()
            if k in output
        }
    if isinstance(old, list) and isinstance(output, list):
        head = [
            _included(o, a, placeholders, (*path, i))
            for i, (o, a) in enumerate(zip(old, output, strict=False))
        ]
        tail = output[len(old) :]
        return head + [
            recorded_output(a, placeholders, None, (*path, len(old) + i))
            for i, a in enumerate(tail)
        ]
    return recorded_output(output, placeholders, None, path)


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


def _refuse_unrecordable(actual: Actual) -> None:
    if actual.timed_out:
        raise NotRecorded("the run timed out: a hang is not recorded as what is expected")
    if not actual.started:
        raise NotRecorded(f"the run did not start: {actual.error}")


def new_expectation(
    raw: dict[str, Any], case: Case, actual: Actual, placeholders: dict[str, Placeholder]
) -> dict[str, Any]:
    """The case's `expect` object (as written, `raw`) with each failing expectation replaced
    by what the run gave; expectations that hold are left as they are."""
    _refuse_unrecordable(actual)
    verdict = compare(case, actual, placeholders)
    failing = {difference.field for difference in verdict.differences}
    new = dict(raw)

    def put(key: str, value: Any) -> None:
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value

    if "output" in failing:
        if "output_includes" in raw:
            kept = _included(raw["output_includes"], actual.output, placeholders)
            put("output_includes", kept if isinstance(kept, dict) else None)
        else:
            old = raw.get("output")
            put(
                "output",
                recorded_output(actual.output, placeholders, old)
                if actual.output is not None
                else None,
            )
    if "exit_code" in failing:
        put("exit_code", actual.exit_code)
    if "error_type" in failing:
        put("error_type", actual.error_type)
    if "error" in failing:
        put("error", actual.error)
    if "stderr" in failing:
        put("stderr", _last_line(actual.stderr))
    if "timed_out" in failing:
        put("timed_out", actual.timed_out)
    others = {k: v for k, v in new.items() if k != "success"}
    implied = Expectation.model_validate(others).expects_success()
    if "success" in raw or implied != actual.success:
        new["success"] = actual.success
    return new


def update_edits(document: CasesDocument, index: int, actual: Actual) -> list[Edit]:
    """The edits that make case `index` expect what `actual` gave (none when it passes)."""
    case = document.cases[index]
    node = document.case_node(index)
    assert node is not None
    placeholders = document.placeholders_for(case)
    if compare(case, actual, placeholders).passed:
        return []
    expect_node = node.get("expect")
    raw = expect_node.value if expect_node is not None else {}
    new = new_expectation(raw, case, actual, placeholders)
    style = _Style(document.text)
    if expect_node is not None:
        return edits_to(style, expect_node, new)
    if not node.members:
        return [_replace(style, node, {**node.value, "expect": new})]
    return [_insertion(style, node, [("expect", new)])]


# --- a new case from a run ---------------------------------------------------------------


def recorded_case(
    name: str,
    inputs: dict[str, Any],
    actual: Actual,
    placeholders: dict[str, Placeholder] | None = None,
) -> dict[str, Any]:
    """A case that expects what `actual` gave, for these inputs."""
    _refuse_unrecordable(actual)
    expect: dict[str, Any] = {"success": actual.success}
    if actual.output is not None:
        expect["output"] = recorded_output(actual.output, placeholders or {})
    elif actual.error:
        expect["error"] = actual.error
    usual = 0 if actual.success else 1
    if actual.exit_code is not None and actual.exit_code != usual:
        expect["exit_code"] = actual.exit_code
    return {"name": name, "inputs": inputs, "expect": expect}


def unique_name(wanted: str, taken: list[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})" in taken:
        number += 1
    return f"{wanted} ({number})"


def new_file_text(case: dict[str, Any]) -> str:
    style = _Style("")
    return style.render({"cases": [case]}, "", several_lines=True) + "\n"


def add_case_edits(document: CasesDocument, case: dict[str, Any]) -> list[Edit]:
    """The edits that append `case` to the file's cases (the file must be an object)."""
    tree = document.tree
    if tree is None or tree.kind != "object":
        raise ValueError("the file is not a JSON object with a list of cases")
    style = _Style(document.text)
    array = tree.get("cases")
    if array is None:
        if not tree.members:
            return [Edit(tree.start, tree.end, new_file_text(case).rstrip("\n"))]
        return [_insertion(style, tree, [("cases", [case])])]
    if array.kind != "array":
        raise ValueError('its "cases" is not a list')
    if not array.items:
        indent = style.line_indent(array.start)
        return [Edit(array.start, array.end, style.render([case], indent, several_lines=True))]
    items = array.items
    if len(items) >= 2:
        separator = _separator(style.text, items[-2].end, items[-1].start)
    else:
        separator = style.text[array.start + 1 : items[0].start]
    indent = style.line_indent(items[-1].start)
    body = style.render(case, indent, several_lines=_several_lines(style.text, items[-1]))
    return [Edit(items[-1].end, items[-1].end, "," + (separator or " ") + body)]
