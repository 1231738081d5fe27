"""Indexes that cannot fail because the script built the dict it indexes.

An inventory printed from a table the script writes itself (`inventory = {"all": {"hosts":
[]}}` then `inventory["all"]["hosts"].append(host)`) indexes only keys it put there, and a
lookup behind `if key in table:` finds its key. Neither can raise, so they are no reason to
ask for error handling. The test is conservative: every value the indexed name may hold at
that point (its assignments above, in the same function, and any in a loop; a helper of the
script whose every return is such a dict) must be a dict literal holding the key; anything
else, and any name the script empties (`.pop()`, `.clear()`, `del`), is unsure. The
subscripts of type annotations (`dict[str, int]`) index no data at all.
"""

from __future__ import annotations

import ast

from scriptcontract.contract.model import FunctionInfo, ScriptModel

EMPTYING = ("pop", "popitem", "clear")
DEPTH = 4  # helpers followed through helpers, at most


class OwnDicts:
    """Answers, for the subscripts of one script, whether they index its own dicts."""

    def __init__(self, model: ScriptModel) -> None:
        self.model = model
        self.scope: dict[int, FunctionInfo] = {}
        for function in model.all_functions:  # outer first: inner functions overwrite
            for node in ast.walk(function.node):
                self.scope[id(node)] = function
        self.guarded: set[int] = set()
        self.emptied: set[str] = set()
        for node in ast.walk(model.tree):
            if type(node) is ast.If:
                self._note_guard(node)
            elif type(node) in (ast.FunctionDef, ast.AsyncFunctionDef):
                self._note_annotations(node)  # type: ignore[arg-type]
            elif type(node) is ast.AnnAssign:
                self._note_annotation(node.annotation)
            elif type(node) is ast.Delete:
                for target in node.targets:
                    base = _base_name(target)
                    if base is not None:
                        self.emptied.add(base)
        for name in list(model.calls):
            head, _, method = name.rpartition(".")
            if method in EMPTYING and head:
                self.emptied.add(head.split(".")[0])

    def harmless(self, node: ast.Subscript) -> bool:
        if id(node) in self.guarded:
            return True
        scope = self.scope.get(id(node))
        dicts = self._dicts(node.value, scope, node.lineno, 0)
        if dicts is None:
            return False
        if type(node.ctx) is ast.Store:
            return True  # storing into a dict never raises
        key = node.slice
        return type(key) is ast.Constant and all(_value_at(d, key.value) for d in dicts)

    def _note_annotations(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self._note_annotation(arg.annotation)
        if node.returns is not None:
            self._note_annotation(node.returns)

    def _note_annotation(self, annotation: ast.expr) -> None:
        """`dict[str, int]` in an annotation names a type; it indexes no data."""
        for inner in ast.walk(annotation):
            if type(inner) is ast.Subscript:
                self.guarded.add(id(inner))

    def _note_guard(self, node: ast.If) -> None:
        """`if key in table:` guards `table[key]` in its body."""
        test = node.test
        if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) is not ast.In:
            return
        key, table = _spelling(test.left), _spelling(test.comparators[0])
        if key is None or table is None:
            return
        for statement in node.body:
            for inner in ast.walk(statement):
                if (
                    type(inner) is ast.Subscript
                    and _spelling(inner.slice) == key
                    and _spelling(inner.value) == table
                ):
                    self.guarded.add(id(inner))

    def _dicts(
        self, expr: ast.expr, scope: FunctionInfo | None, line: int, depth: int
    ) -> list[ast.Dict] | None:
        """The dict literals `expr` may be at `line`; None when it may be anything else."""
        if depth > DEPTH:
            return None
        kind = type(expr)
        if kind is ast.Dict:
            return [expr]  # type: ignore[list-item]
        if kind is ast.Name:
            return self._name_dicts(expr.id, scope, line, depth)  # type: ignore[attr-defined]
        if kind is ast.Subscript:
            parents = self._dicts(expr.value, scope, line, depth)  # type: ignore[attr-defined]
            key = expr.slice  # type: ignore[attr-defined]
            if parents is None or type(key) is not ast.Constant:
                return None
            found: list[ast.Dict] = []
            for parent in parents:
                value = _value_at(parent, key.value)
                inner = None if value is None else self._dicts(value, scope, line, depth + 1)
                if inner is None:
                    return None
                found += inner
            return found
        if kind is ast.Call and type(expr.func) is ast.Name:  # type: ignore[attr-defined]
            helper = self.model.local_function(expr.func.id)  # type: ignore[attr-defined]
            if helper is None or helper.is_method or not helper.returns:
                return None
            found = []
            for ret in helper.returns:
                inner = (
                    None
                    if ret.value is None
                    else self._dicts(ret.value, helper, ret.lineno, depth + 1)
                )
                if inner is None:
                    return None
                found += inner
            return found
        return None

    def _name_dicts(
        self, name: str, scope: FunctionInfo | None, line: int, depth: int
    ) -> list[ast.Dict] | None:
        if name in self.emptied:
            return None
        assignments = self.model.assignments.get(name, ())
        local = [a for a in assignments if a.ctx.function is scope]
        if not local and scope is not None and name not in scope.params:
            local = [a for a in assignments if a.ctx.function is None]
            line = 1 << 30  # a module-level table may be set anywhere before the call
        reaching = [a for a in local if a.stmt.lineno < line or a.ctx.loop is not None]
        if not reaching:
            return None
        found: list[ast.Dict] = []
        for assignment in reaching:
            if type(assignment.stmt) is not ast.Assign or assignment.value is None:
                return None  # `+=`, a loop variable, an unpacking: not followed
            inner = self._dicts(assignment.value, assignment.ctx.function, line, depth + 1)
            if inner is None:
                return None
            found += inner
        return found


def _value_at(table: ast.Dict, key: object) -> ast.expr | None:
    """The value a dict literal holds at a constant key; None when it may not hold it."""
    value = None
    for k, v in zip(table.keys, table.values, strict=True):
        if k is None:
            return None  # `**other`: the keys are not all written here
        if type(k) is ast.Constant and k.value == key:
            value = v
    return value


def _base_name(node: ast.expr) -> str | None:
    while type(node) in (ast.Subscript, ast.Attribute):
        node = node.value  # type: ignore[attr-defined]
    return node.id if type(node) is ast.Name else None


def _spelling(node: ast.expr) -> tuple[object, ...] | None:
    """`a.b["c"][d]` as a tuple to compare; None for anything else (a call may differ from
    one evaluation to the next). Not `ast.dump`, whose recursive helper leaves a cycle."""
    parts: list[object] = []
    while True:
        kind = type(node)
        if kind is ast.Name:
            parts.append(node.id)  # type: ignore[attr-defined]
            return tuple(parts)
        if kind is ast.Constant:
            parts.append(("constant", node.value))  # type: ignore[attr-defined]
            return tuple(parts)
        if kind is ast.Attribute:
            parts.append(("attribute", node.attr))  # type: ignore[attr-defined]
            node = node.value  # type: ignore[attr-defined]
        elif kind is ast.Subscript:
            index = _spelling(node.slice)  # type: ignore[attr-defined]
            if index is None:
                return None
            parts.append(("index", index))
            node = node.value  # type: ignore[attr-defined]
        else:
            return None
