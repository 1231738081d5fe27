"""Whether the analysis sees every key a script reads from its inputs object.

An inputs file may hold a key the script never reads: a typo, or a leftover. Saying so is
only right when every use of the inputs object is one the analysis understands: a constant
key (`inputs["x"]`, `inputs.get("x")`, `inputs.pop("x")`, `"x" in inputs`), a truth or type
test, or a pass to another function of the script whose parameter is then followed. Any
other use (`**inputs`, `inputs.items()`, `for key in inputs`, `json.dumps(inputs)`, a call
into another module) may read any key, and then no key is called unread. Top level only:
nested objects are often handed on whole. Pure, never raises.
"""

from __future__ import annotations

import ast

from scriptcontract.contract.inputs_template import _Inference, _Scope

_KEY_METHODS = frozenset({"get", "pop", "setdefault"})
# Calls that look at the object, not at its keys.
_LOOKS = frozenset({"isinstance", "len", "bool", "type", "id"})


def reads_every_key(source: str) -> bool:
    """True when the script has an inputs object and reads it only through constant keys."""
    try:
        tree = ast.parse(source)
        inference = _Inference(tree, source)
        inference.run()
        return every_read_seen(inference)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def every_read_seen(inference: _Inference) -> bool:
    """`reads_every_key` of an inference already run (shared with `key_reads`)."""
    return _Uses(inference).every_use_plain()


class _Uses:
    def __init__(self, inference: _Inference) -> None:
        self.inference = inference

    def every_use_plain(self) -> bool:
        seen = False
        for scope in self.inference.scopes.values():
            parents: dict[ast.AST, ast.AST] = {}
            for node in [scope.node, *self.inference.own_nodes(scope)]:
                for child in ast.iter_child_nodes(node):
                    parents[child] = node
            for node in self.inference.own_nodes(scope):
                if not self._holds_inputs(node, scope):
                    continue
                seen = True
                if not self._plain(node, parents, scope):
                    return False
        return seen

    def _holds_inputs(self, node: ast.AST, scope: _Scope) -> bool:
        if isinstance(node, ast.Name):
            return isinstance(node.ctx, ast.Load) and self.inference._is_inputs(node, scope)
        return isinstance(node, ast.Call) and self.inference._is_inputs(node, scope)

    def _plain(self, node: ast.AST, parents: dict[ast.AST, ast.AST], scope: _Scope) -> bool:
        parent = parents.get(node)
        # `a or {}`, `x if c else {}`, `(x := ...)`: the whole expression holds the inputs.
        while isinstance(parent, (ast.BoolOp, ast.IfExp, ast.NamedExpr)) and (
            not isinstance(parent, ast.IfExp) or node is not parent.test
        ):
            node, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return _is_text(parent.slice)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = parents.get(parent)
            return (
                parent.attr in _KEY_METHODS
                and isinstance(call, ast.Call)
                and call.func is parent
                and bool(call.args)
                and _is_text(call.args[0])
            )
        if isinstance(parent, ast.Compare):
            return _is_key_test(parent, node)
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return parent.value is node and all(isinstance(t, ast.Name) for t in targets)
        if isinstance(parent, (ast.If, ast.While, ast.Assert)) or (
            isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
        ):
            return True  # a truth test
        if isinstance(parent, ast.Return):
            return isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                scope.node.name in self.inference.returns_inputs
            )
        if isinstance(parent, ast.Call):
            return self._plain_call(node, parent)
        return False

    def _plain_call(self, node: ast.AST, call: ast.Call) -> bool:
        func = call.func
        if not isinstance(func, ast.Name):
            return False
        if func.id in _LOOKS or (func.id == "dict" and call.args == [node]):
            return True
        functions = self.inference.functions.get(func.id)
        if not functions:
            return False
        for function in functions:
            callee = self.inference.scopes[function]
            for index, arg in enumerate(call.args):
                if arg is node and not (
                    index < len(callee.params) and callee.params[index] in callee.inputs
                ):
                    return False
            for keyword in call.keywords:
                if keyword.value is node and keyword.arg not in callee.inputs:
                    return False
        return True


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_key_test(compare: ast.Compare, node: ast.AST) -> bool:
    return (
        len(compare.ops) == 1
        and isinstance(compare.ops[0], (ast.In, ast.NotIn))
        and compare.comparators[0] is node
        and _is_text(compare.left)
    ) or (len(compare.ops) == 1 and isinstance(compare.ops[0], (ast.Is, ast.IsNot)))
