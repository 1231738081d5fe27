"""The JSON Schemas of the objects a workflow script writes: on success and on error, apart.

The objects are the dict literals the script writes to stdout as JSON (`print(json.dumps(
{...}))`, `json.dump({...}, sys.stdout)`, through a name assigned once), and those returned
by a local function whose result is written (`print(json.dumps(main(inputs)))`). An object
is an error one as the error-object-shape rule (SCR205) tells: `"success": False`, an
`"error"` key, an error status, or written by a broad `except`. Keys every object of a kind
has are required; a key's type comes from its value when that is plain to see (a literal,
an f-string, `str(...)`, `type(exc).__name__`, `len(...)`, a list or dict display, a
comparison). Pure, never raises: a source that does not parse, or writes no plain object,
has no output schemas.
"""

from __future__ import annotations

import ast
from typing import Any

from scriptcontract.contract.facts import Facts
from scriptcontract.contract.model import ScriptModel
from scriptcontract.contract.positions import LineIndex
from scriptcontract.contract.rules._helpers import is_broad
from scriptcontract.contract.rules.base import RuleContext
from scriptcontract.contract.rules.error_shape import error_dict, payload_dict
from scriptcontract.contract.settings import LintSettings

_CALL_TYPES = {
    "str": "string",
    "repr": "string",
    "int": "integer",
    "len": "integer",
    "float": "number",
    "round": "number",
    "bool": "boolean",
    "list": "array",
    "sorted": "array",
    "dict": "object",
}
_LITERAL_TYPES: list[tuple[type, str]] = [
    (int, "integer"),
    (float, "number"),
    (str, "string"),
]


def infer_output_schemas(source: str) -> dict[str, dict[str, Any]]:
    """`{"output": schema, "error": schema}`, each kind present when the script writes one."""
    try:
        tree = ast.parse(source)
        model = ScriptModel.build(tree, None)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    try:
        ctx = RuleContext(
            source, None, LintSettings(), tree, model, Facts(model), LineIndex(source)
        )
        shapes: dict[str, list[ast.Dict]] = {"output": [], "error": []}
        for payload, in_handler in _written_objects(ctx, tree):
            kind = "error" if error_dict(ctx, payload, in_handler=in_handler) else "output"
            if payload not in shapes[kind]:
                shapes[kind].append(payload)
        return {kind: _merged(found) for kind, found in shapes.items() if found}
    except RecursionError:
        return {}
    finally:
        model.release()


def _written_objects(ctx: RuleContext, tree: ast.Module) -> list[tuple[ast.Dict, bool]]:
    functions = {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    found: list[tuple[ast.Dict, bool]] = []
    for write in ctx.facts.json_writes:
        handler = write.site.ctx.handler
        broad = handler is not None and is_broad(ctx.model, handler)
        payload = payload_dict(ctx, write)
        if payload is not None:
            found.append((payload, broad))
            continue
        called = _written_call(write.site.node)
        if called is not None and called in functions:
            found.extend((node, False) for node in _returned_dicts(functions[called]))
    return found


def _written_call(call: ast.Call) -> str | None:
    """`f` in `print(json.dumps(f(...)))` or `json.dump(f(...), ...)`."""
    expr = call.args[0] if call.args else None
    if isinstance(expr, ast.Call) and expr.args and isinstance(expr.args[0], ast.Call):
        expr = expr.args[0]  # print(json.dumps(f(...)))
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        return expr.func.id
    return None


def _returned_dicts(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Dict]:
    found: list[ast.Dict] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
            found.append(node.value)
        stack.extend(ast.iter_child_nodes(node))
    found.sort(key=lambda node: (node.lineno, node.col_offset))
    return found


def _merged(objects: list[ast.Dict]) -> dict[str, Any]:
    properties: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for node in objects:
        for key, value in zip(node.keys, node.values, strict=False):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            name = key.value
            counts[name] = counts.get(name, 0) + 1
            properties[name] = _union(properties.get(name), _value_schema(value))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [name for name in properties if counts[name] == len(objects)]
    if required:
        schema["required"] = required
    return schema


def _union(known: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    if known is None:
        return new
    if known == new:
        return known
    if "type" not in known or "type" not in new:
        return {}
    types = set(_types(known)) | set(_types(new))
    if "number" in types:
        types.discard("integer")
    ordered = sorted(types)
    return {"type": ordered[0] if len(ordered) == 1 else ordered}


def _types(schema: dict[str, Any]) -> list[str]:
    found = schema["type"]
    return [found] if isinstance(found, str) else list(found)


def _value_schema(node: ast.expr) -> dict[str, Any]:
    if isinstance(node, ast.Constant):
        if node.value is None:
            return {"type": "null"}
        if isinstance(node.value, bool):
            # `"success": True` is what tells callers the shape apart: keep the value.
            return {"type": "boolean", "const": node.value}
        for kind, name in _LITERAL_TYPES:
            if isinstance(node.value, kind):
                return {"type": name}
        return {}
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Attribute) and node.attr == "__name__"
    ):
        return {"type": "string"}  # `type(exc).__name__`: the usual "error_type"
    if isinstance(node, (ast.List, ast.ListComp, ast.Tuple)):
        return {"type": "array"}
    if isinstance(node, ast.Dict):
        return _merged([node])
    if isinstance(node, ast.DictComp):
        return {"type": "object"}
    if isinstance(node, (ast.Compare, ast.UnaryOp)) and (
        isinstance(node, ast.Compare) or isinstance(node.op, ast.Not)
    ):
        return {"type": "boolean"}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        called = _CALL_TYPES.get(node.func.id)
        return {"type": called} if called else {}
    return {}
