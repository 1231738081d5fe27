"""Where a script reads each key of its inputs, nested keys included: the string literal of
every constant-key read (`inputs["items"]`, `item["id"]` in `for item in inputs["items"]`,
`opts.get("level")`, `"x" in inputs`), by the key's path (`("items", "[]", "id")`, "[]"
standing for any item of an array).

The names that hold a part of the inputs are followed as the schema inference follows them
(`input_schema`), so a key the schema lists is found where the schema found it. For the
editor: hover and go to definition from a key of an inputs file. Pure, never raises.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Range
from scriptcontract.contract.input_schema import _bindings, _Resolver
from scriptcontract.contract.inputs_template import _Inference

KeyPath = tuple[str, ...]
_KEY_METHODS = ("get", "pop", "setdefault")


def key_reads(source: str) -> dict[KeyPath, list[Range]]:
    """Each key path the script reads, and the ranges of its string literals, in order."""
    return reads_and_coverage(source)[0]


def reads_and_coverage(source: str) -> tuple[dict[KeyPath, list[Range]], bool]:
    """`key_reads`, and whether they are every read of the inputs object (`input_reads`),
    from one inference (the costly part)."""
    from scriptcontract.contract.input_reads import every_read_seen

    try:
        tree = ast.parse(source)
        inference = _Inference(tree, source)
        inference.run()
        every = every_read_seen(inference)
        bindings = {node: _bindings(inference, scope) for node, scope in inference.scopes.items()}
        found: dict[KeyPath, list[Range]] = {}
        for node, scope in inference.scopes.items():
            resolver = _Resolver(inference, scope, bindings.get(node, {}), bindings)
            for base, literal in _reads(inference.own_nodes(scope)):
                path = resolver.path(base)
                if path is not None:
                    where = inference._range(literal)
                    reads = found.setdefault((*path, str(literal.value)), [])
                    if where not in reads:
                        reads.append(where)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}, False
    for reads in found.values():
        reads.sort(key=lambda r: (r.start.line, r.start.character))
    return found, every


def _reads(nodes: list[ast.AST]) -> Iterator[tuple[ast.AST, ast.Constant]]:
    """(the expression read from, the key's literal) of each constant-key read."""
    for node in nodes:
        if isinstance(node, ast.Subscript):
            key = _text(node.slice)
            if key is not None:
                yield node.value, key
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _KEY_METHODS
            and node.args
        ):
            key = _text(node.args[0])
            if key is not None:
                yield node.func.value, key
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
        ):
            key = _text(node.left)
            if key is not None:
                yield node.comparators[0], key


def _text(node: ast.AST) -> ast.Constant | None:
    return node if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
