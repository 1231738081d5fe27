"""Which JSON files hold a script's inputs, and where the inputs objects are in them.

`hello.inputs.json` (the sidecar inputs file) is one inputs object; `hello.cases.json` has
one in each case's `inputs`. A case that expects a failure keeps inputs that are wrong on
purpose, so its inputs are not checked (as `scriptcontract test` does not check them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from scriptcontract.json_inputs.outline import Value

FileKind = Literal["sidecar", "cases"]
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class InputsObject:
    """One inputs object of a file: its node, where it is, and what to point at for a
    problem of the whole object (its `"inputs"` key, or the opening brace)."""

    node: Value
    path: KeyPath
    holder: tuple[int, int]
    checked: bool = True


def kind_of(path: Path | None) -> FileKind | None:
    from scriptcontract.cases.loading import CASES_SUFFIX
    from scriptcontract.sidecar import SIDECAR_SUFFIX

    if path is None:
        return None
    kinds: tuple[tuple[str, FileKind], ...] = ((SIDECAR_SUFFIX, "sidecar"), (CASES_SUFFIX, "cases"))
    for suffix, kind in kinds:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            return kind
    return None


def script_of(path: Path) -> Path:
    """`scripts/hello.inputs.json` or `scripts/hello.cases.json` -> `scripts/hello.py`."""
    stem = path.name.rsplit(".", 2)[0]
    return path.with_name(stem + ".py")


def inputs_objects(kind: FileKind, root: Value) -> list[InputsObject]:
    if kind == "sidecar":
        return (
            [InputsObject(root, (), (root.start, root.start + 1))] if root.kind == "object" else []
        )
    cases = root.get("cases") if root.kind == "object" else None
    found: list[InputsObject] = []
    for index, case in enumerate(
        cases.items if cases is not None and cases.kind == "array" else []
    ):
        member = case.member("inputs") if case.kind == "object" else None
        if member is None or member.value is None or member.value.kind != "object":
            continue
        found.append(
            InputsObject(
                member.value,
                ("cases", index, "inputs"),
                (member.key_start, member.key_end),
                _expects_success(case),
            )
        )
    return found


def inputs_path(kind: FileKind, path: KeyPath) -> KeyPath | None:
    """The path within an inputs object of `path` (from the file's root); None outside one."""
    if kind == "sidecar":
        return path
    if len(path) >= 3 and path[0] == "cases" and isinstance(path[1], int) and path[2] == "inputs":
        return path[3:]
    return None


def containers_at(root: Value, offset: int) -> list[tuple[KeyPath, Value]]:
    """The objects and arrays around `offset`, outermost first, with their paths."""
    chain: list[tuple[KeyPath, Value]] = []
    node, path = root, cast(KeyPath, ())
    while node.kind in ("object", "array") and _inside(node, offset):
        chain.append((path, node))
        child: tuple[str | int, Value] | None = None
        if node.kind == "object":
            for member in node.members:
                if member.value is not None and _inside(member.value, offset):
                    child = (member.key, member.value)
        else:
            for index, item in enumerate(node.items):
                if _inside(item, offset):
                    child = (index, item)
        if child is None:
            break
        path = (*path, child[0])
        node = child[1]
    return chain


def _inside(node: Value, offset: int) -> bool:
    """Strictly between the brackets (or up to the end of an unclosed container)."""
    return node.start < offset < node.end or (not node.closed and node.start < offset <= node.end)


def _expects_success(case: Value) -> bool:
    from pydantic import ValidationError

    from scriptcontract.cases.model import Expectation

    expect = case.get("expect")
    if expect is None or expect.kind != "object":
        return True
    try:
        return Expectation.model_validate(expect.data).expects_success()
    except ValidationError:
        return True
