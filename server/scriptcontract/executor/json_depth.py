"""How deep JSON may nest where the executor handles it: the inputs and the output.

The result model serialises at most 255 levels (pydantic's limit), and `json.dumps` and the
script's own `json.load` stop near the interpreter's recursion limit (1,000, less what is
already on the stack). A value nested deeper than `MAX_JSON_DEPTH` is refused before any of
them sees it, so that a result always serialises and a refusal always says why.
"""

from __future__ import annotations

from typing import Any

MAX_JSON_DEPTH = 200


def nested_deeper_than(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether dicts and lists in `value` nest more than `limit` levels (`{}` is one).

    Iterative, so any depth is measured; a value that contains itself is too deep.
    """
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        todo.extend(
            (child, depth + 1) for child in children if isinstance(child, (dict, list, tuple))
        )
    return False
