"""Where a script reads each key of its inputs, nested keys included: the string literal of
every constant-key read (`inputs["items"]`, `item["id"]` in `for item in inputs["items"]`,
`opts.get("level")`, `"x" in inputs`), by the key's path (`("items", "[]", "id")`, "[]"
standing for any item of an array).

The reads are found by the schema's own inference (`input_schema.InferredInputs`), which
reads only the statements that name what it follows: a key the schema lists is found where
the schema found it, and the editor infers once per edit of the script for both. For the
editor: hover and go to definition from a key of an inputs file. Pure, never raises.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from scriptcontract.contract.finding import Range
from scriptcontract.contract.input_schema import InferredInputs, inferred_inputs

KeyPath = tuple[str, ...]
_KEY_METHODS = ("get", "pop", "setdefault")


@dataclass(frozen=True)
class InputReads:
    """What the editor needs of a script's reads, from one inference (the costly part)."""

    reads: dict[KeyPath, list[Range]] = field(default_factory=dict)
    every_read_seen: bool = False  # `input_reads.reads_every_key`
    # Top-level keys indexed (`inputs["x"]`) at least once outside any condition: the
    # script fails without them whatever else the inputs hold. A key indexed only in an
    # `if` branch, a loop body or an `except` is needed only on that path.
    surely_required: frozenset[str] = frozenset()


def key_reads(source: str) -> dict[KeyPath, list[Range]]:
    """Each key path the script reads, and the ranges of its string literals, in order."""
    return input_reads(source).reads


def input_reads(source: str) -> InputReads:
    return reads_of(inferred_inputs(source))


def reads_of(inferred: InferredInputs) -> InputReads:
    """`input_reads` of the inference the schema was made by (one inference for both)."""
    from scriptcontract.contract.input_reads import every_read_seen

    inference = inferred.inference
    if inference is None or not inferred.followed:
        return InputReads()
    try:
        every = every_read_seen(inference)
        found: dict[KeyPath, list[Range]] = {}
        surely: set[str] = set()
        for node, scope in inference.scopes.items():
            path_of = inferred.paths(scope)
            parents: dict[ast.AST, ast.AST] | None = None
            for read, base, literal in _reads(inference.own_nodes(scope)):
                path = path_of(base)
                if path is None:
                    continue
                where = inference._range(literal)
                reads = found.setdefault((*path, str(literal.value)), [])
                if where not in reads:
                    reads.append(where)
                if not path and _indexes(read) and str(literal.value) not in surely:
                    parents = parents or _parents(node, inference.own_nodes(scope))
                    if not _conditional(read, parents, node):
                        surely.add(str(literal.value))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return InputReads()
    for reads in found.values():
        reads.sort(key=lambda r: (r.start.line, r.start.character))
    return InputReads(found, every, frozenset(surely))


def _indexes(read: ast.AST) -> bool:
    """A read that fails without the key: `x["k"]`, `x.pop("k")`."""
    if isinstance(read, ast.Subscript):
        return isinstance(read.ctx, ast.Load)
    return (
        isinstance(read, ast.Call)
        and len(read.args) == 1
        and not read.keywords
        and (isinstance(read.func, ast.Attribute) and read.func.attr == "pop")
    )


def _parents(scope: ast.AST, nodes: list[ast.AST]) -> dict[ast.AST, ast.AST]:
    parents: dict[ast.AST, ast.AST] = {}
    for node in [scope, *nodes]:
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _conditional(node: ast.AST, parents: dict[ast.AST, ast.AST], scope: ast.AST) -> bool:
    """True when `node` runs only on some paths through its scope's body."""
    child, parent = node, parents.get(node)
    while parent is not None and parent is not scope:
        if _on_some_paths(child, parent, scope):
            return True
        child, parent = parent, parents.get(parent)
    return False


def _on_some_paths(child: ast.AST, parent: ast.AST, scope: ast.AST) -> bool:
    """True when `parent` runs its part `child` only on some paths."""
    if isinstance(parent, ast.If):
        entry = isinstance(scope, ast.Module) and _is_main_guard(parent.test)
        return child is not parent.test and not entry
    if isinstance(parent, (ast.While, ast.For, ast.AsyncFor)):
        return child in (*parent.body, *parent.orelse)
    if isinstance(parent, ast.IfExp):
        return child is not parent.test
    if isinstance(parent, ast.BoolOp):
        return child is not parent.values[0]
    if isinstance(parent, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return not parent.generators or child is not parent.generators[0].iter
    return isinstance(parent, (ast.ExceptHandler, ast.match_case))


def _is_main_guard(test: ast.AST) -> bool:
    """`if __name__ == "__main__":`, the entry of a script: not a condition on the inputs."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _reads(nodes: list[ast.AST]) -> Iterator[tuple[ast.AST, ast.AST, ast.Constant]]:
    """(the read, the expression read from, the key's literal) of each constant-key read."""
    for node in nodes:
        if isinstance(node, ast.Subscript):
            key = _text(node.slice)
            if key is not None:
                yield node, node.value, key
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _KEY_METHODS
            and node.args
        ):
            key = _text(node.args[0])
            if key is not None:
                yield node, node.func.value, key
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
        ):
            key = _text(node.left)
            if key is not None:
                yield node, node.comparators[0], key


def _text(node: ast.AST) -> ast.Constant | None:
    return node if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
