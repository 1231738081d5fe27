"""Read a cases file's text: its tree, its model, and every problem with where it is.

A problem names the case and the key (`case "greets Ada": expect.exit_cod: unknown key`) and
carries the span of text to point at. A file with a problem runs none of its cases: a typo
in an expectation must not turn into a case that passes because nothing was compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from scriptcontract.cases.json_tree import JsonSyntaxError, LineIndex, Node, parse
from scriptcontract.cases.model import Case, CasesFile, Placeholder
from scriptcontract.cases.paths import Path, show

CASES_SUFFIX = ".cases.json"
# Pairs of keys of which a case or an expectation takes one at most.
_EXCLUSIVE = (("inputs", "inputs_file"), ("output", "output_includes"))
_MESSAGES = {
    "dict_type": "expected a JSON object",
    "model_type": "expected a JSON object",
    "list_type": "expected an array",
    "string_type": "expected a string",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
}
_BOUNDS = {
    "greater_than_equal": "must be {ge} or more",
    "string_too_short": "must not be empty",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong in a cases file, and where."""

    message: str
    start: int
    end: int
    case: str | None = None  # the case's name, or "#3" when it has none
    key: str | None = None  # the key, within the case when there is one
    syntax: bool = False  # the JSON itself does not parse (an editor's JSON service says so too)

    def describe(self) -> str:
        where = [f"case {json.dumps(self.case, ensure_ascii=False)}"] if self.case else []
        if self.key:
            where.append(self.key)
        return ": ".join([*where, self.message])


@dataclass
class CasesDocument:
    """One cases file as read: text, tree, model (None when there are problems)."""

    text: str
    tree: Node | None
    model: CasesFile | None
    problems: list[Problem] = field(default_factory=list)
    _lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def cases(self) -> list[Case]:
        return list(self.model.cases) if self.model is not None else []

    def case_node(self, index: int) -> Node | None:
        return self.tree.find(("cases", index)) if self.tree is not None else None

    def case_names(self) -> list[tuple[str, Node]]:
        """Every case's name and node, also when the file has problems (for the editor)."""
        array = self.tree.get("cases") if self.tree is not None else None
        if array is None or array.kind != "array":
            return []
        out = []
        for index, node in enumerate(array.items):
            name = node.value.get("name") if node.kind == "object" else None
            out.append((name if isinstance(name, str) and name else f"#{index + 1}", node))
        return out

    def placeholders_for(self, case: Case) -> dict[str, Placeholder]:
        merged = dict(self.model.placeholders) if self.model is not None else {}
        merged.update(case.placeholders)
        return merged


def load_cases(text: str) -> CasesDocument:
    try:
        tree = parse(text)
    except JsonSyntaxError as exc:
        end = min(exc.offset + 1, len(text))
        problem = Problem(f"not valid JSON: {exc.message}", exc.offset, end, syntax=True)
        return CasesDocument(text, None, None, [problem])
    document = CasesDocument(text, tree, None)
    if tree.kind != "object":
        document.problems.append(
            Problem('expected a JSON object: {"cases": [...]}', tree.start, tree.end)
        )
        return document
    try:
        model = CasesFile.model_validate(tree.value)
    except ValidationError as exc:
        document.problems.extend(_problem_of(error, tree) for error in exc.errors())
        document.problems.sort(key=lambda p: p.start)
        return document
    document.problems.extend(_semantic_problems(model, tree))
    if not document.problems:
        document.model = model
    return document


def _problem_of(error: Any, tree: Node) -> Problem:
    loc = tuple(error["loc"])
    # A dict key that fails validation ends its loc with "[key]" (the key is the part before).
    on_key = bool(loc) and loc[-1] == "[key]"
    path: Path = tuple(part for part in loc if part != "[key]")
    kind = error["type"]
    if kind == "extra_forbidden":
        message = f"unknown key{_known_keys(path)}"
        on_key = True
    elif kind == "missing":
        message = "missing: it is required"
    else:
        message = _MESSAGES.get(kind) or str(error["msg"]).removeprefix("Value error, ")
        if kind in _BOUNDS:
            message = _BOUNDS[kind].format(**error.get("ctx", {}))
        given = error.get("input")
        if kind != "value_error" and not isinstance(given, (dict, list)):
            message += f" (got {json.dumps(given, ensure_ascii=False)})"
    return _located(message, path, tree, on_key=on_key, missing=kind == "missing")


def _known_keys(path: Path) -> str:
    """The keys that are allowed where an unknown one was found."""
    from scriptcontract.cases.model import Expectation

    parent = path[:-1]
    model: type[CasesFile] | type[Case] | type[Expectation] | None = None
    if parent == ():
        model = CasesFile
    elif len(parent) == 2 and parent[0] == "cases":
        model = Case
    elif len(parent) == 3 and parent[0] == "cases" and parent[2] == "expect":
        model = Expectation
    if model is None:
        return ""
    names = [info.alias or name for name, info in model.model_fields.items()]
    return f" (known: {', '.join(names)})"


def _located(
    message: str, path: Path, tree: Node, *, on_key: bool = False, missing: bool = False
) -> Problem:
    """A problem at `path`: on the key itself, on its value, or (missing) on its parent."""
    case, key_path = _case_and_key(path, tree)
    target = path[:-1] if missing else path
    node, member = _walk(tree, target)
    if member is not None and on_key:
        start, end = member.key_start, member.key_end
    elif node is not None:
        start, end = node.start, (node.start + 1 if node.kind in ("object", "array") else node.end)
    else:
        start, end = tree.start, tree.start + 1
    return Problem(message, start, end, case=case, key=key_path or None)


def _case_and_key(path: Path, tree: Node) -> tuple[str | None, str]:
    if len(path) >= 2 and path[0] == "cases" and isinstance(path[1], int):
        node = tree.find(path[:2])
        name = node.value.get("name") if node is not None and node.kind == "object" else None
        case = name if isinstance(name, str) and name else f"#{path[1] + 1}"
        return case, show(path[2:])
    return None, show(path)


def _walk(tree: Node, path: Path) -> tuple[Node | None, Any]:
    node: Node | None = tree
    member = None
    for part in path:
        if node is None:
            return None, None
        if isinstance(part, str) and node.kind == "object":
            member = node.member(part)
            node = member.value if member is not None else None
        else:
            member = None
            node = node.get(part)
    return node, member


def _semantic_problems(model: CasesFile, tree: Node) -> list[Problem]:
    """What the schema cannot say: keys that exclude each other, names used twice."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, case in enumerate(model.cases):
        base: Path = ("cases", index)
        if case.name in seen:
            message = f"another case has this name (#{seen[case.name] + 1}): names must be unique"
            problems.append(_located(message, (*base, "name"), tree))
        seen.setdefault(case.name, index)
        for where in (base, (*base, "expect")):
            node = tree.find(where)
            keys = set(node.value) if node is not None and node.kind == "object" else set()
            for first, second in _EXCLUSIVE:
                if first in keys and second in keys:
                    message = f"give {first} or {second}, not both"
                    problems.append(_located(message, (*where, second), tree, on_key=True))
    return problems
