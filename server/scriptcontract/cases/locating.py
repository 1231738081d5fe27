"""Where in a cases file a case, and each of its differences, should be pointed at."""

from __future__ import annotations

from scriptcontract.cases.json_tree import Node
from scriptcontract.cases.loading import CasesDocument
from scriptcontract.cases.matching import Difference

Span = tuple[int, int]


def _span(node: Node) -> Span:
    # A container is pointed at by its first character: a diagnostic over a whole object
    # would underline half the file.
    return (
        (node.start, node.start + 1)
        if node.kind in ("object", "array")
        else (
            node.start,
            node.end,
        )
    )


def case_span(document: CasesDocument, index: int) -> Span:
    """The case's name (its value), else its opening brace."""
    node = document.case_node(index)
    if node is None:
        return (0, 0)
    name = node.member("name")
    return (name.key_start, name.value.end) if name is not None else _span(node)


def difference_span(document: CasesDocument, index: int, difference: Difference) -> Span:
    """The expected value that differs, as deep as the file has it; a difference in what
    the case did not write (an extra key, an implied success) points at the nearest key."""
    node = document.case_node(index)
    expect = node.get("expect") if node is not None else None
    if node is None or expect is None:
        return case_span(document, index)
    if difference.field == "output":
        key = "output" if expect.get("output") is not None else "output_includes"
        at = expect.member(key)
        if at is None:
            return _span(expect)
        deepest, member_span = at.value, (at.key_start, at.key_end)
        for part in difference.path:
            child = deepest.get(part)
            if child is None:
                break
            if isinstance(part, str):
                found = deepest.member(part)
                assert found is not None
                member_span = (found.key_start, found.key_end)
            deepest = child
        else:
            return _span(deepest)
        # The key is missing from the file: the object that should hold it.
        return member_span if deepest.kind != "object" else _span(deepest)
    field = expect.member(difference.field)
    if field is not None:
        return (field.key_start, field.value.end)
    return case_span(document, index)
