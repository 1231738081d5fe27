"""The inputs' schema a script declares in its own code: the model its inputs are read into.

A `TypedDict`, a dataclass or a pydantic model the inputs object is turned into, read from
the source alone (the script is never imported):

- `Model(**inputs)`, `Model.model_validate(inputs)`, `Model.parse_obj(inputs)`,
  `TypeAdapter(Model).validate_python(inputs)`, `cast(Model, inputs)`, the stdin text
  parsed by the model (`Model.model_validate_json(sys.stdin.read())`, `parse_raw`,
  `TypeAdapter(Model).validate_json`), or an annotated
  name or parameter holding the inputs (`inputs: Model = json.load(sys.stdin)`,
  `def main(inputs: Model)`);
- fields from the class body's annotations: `str`, `int`, `float`, `bool`, `list[T]`,
  `dict[...]`, `T | None`/`Optional[T]`, `Literal[...]`, another model of the script,
  `Any`; a field is optional when it has a default, is `NotRequired[...]`, or the
  TypedDict says `total=False` (and `Required[...]` says otherwise).

Pure, never raises: without such a model there is no declared schema.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scriptcontract.contract.names import JSON_PARSE_METHODS

if TYPE_CHECKING:
    from scriptcontract.contract.input_schema import InferredInputs
    from scriptcontract.contract.inputs_template import _Inference

_SCALARS = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "list": "array",
    "List": "array",
    "Sequence": "array",
    "tuple": "array",
    "set": "array",
    "dict": "object",
    "Dict": "object",
    "Mapping": "object",
    "None": "null",
    # What JSON carries as text, and the models read from it.
    "Path": "string",
    "PurePath": "string",
    "datetime": "string",
    "date": "string",
    "time": "string",
    "UUID": "string",
}
_VALIDATORS = ("model_validate", "parse_obj", "validate_python", "from_dict")
_MAX_DEPTH = 16
# A model's class names one of these (its base or its decorator; see `_is_model`).
_MODEL_WORDS = ("TypedDict", "BaseModel", "dataclass")


def declared_model_schema(source: str) -> tuple[str, dict[str, Any]] | None:
    """(the model's name, its JSON Schema) when the script reads its inputs into one."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return declared_model_schema_of(tree, source)


def declared_model_schema_of(
    tree: ast.Module, source: str, inferred: Callable[[], InferredInputs] | None = None
) -> tuple[str, dict[str, Any]] | None:
    """`declared_model_schema` of a tree already parsed from `source` (only read).
    `inferred` gives the inference of the inputs that the caller reads the keys with
    (SCR107): the model is found with it, not with an inference of its own."""
    if source.isascii() and (
        not any(word in source for word in _MODEL_WORDS)
        or ("stdin" not in source and "inputs" not in source)
    ):
        # No class can be a model, or nothing holds inputs (they come from stdin or from
        # a variable named `inputs`): the inference is not needed.
        return None
    try:
        models = {node.name: node for node in _classes(tree) if _is_model(node)}
        if not models:
            return None
        # Imported here: the inference's modules take ~4 ms to import, which a one-file
        # `check` of a script without a model must not pay (SCR107 asks every script).
        from scriptcontract.contract.input_schema import SCHEMA_DIALECT
        from scriptcontract.contract.inputs_template import converged_inference

        # SCR107 infers the inputs for their keys once the model is found: finding it with
        # the same inference spares a second one (2 of the 20 ms the analysis of a 1,000-line
        # script declaring a model took). That one follows more names (those bound to paths
        # too): it reads more statements, with the same answer (`converged_inference`).
        inference = converged_inference(tree, source) if inferred is None else inferred().inference
        if inference is None:  # (the inference gave up)
            return None
        name = _model_of_inputs(inference, models)
        if name is None:
            return None
        schema = _Models(models).schema(name, 0)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return name, {"$schema": SCHEMA_DIALECT, "title": name, **schema}


def _classes(tree: ast.Module) -> list[ast.ClassDef]:
    """Every class of the tree, in the order `ast.walk` gives them (breadth first), found
    walking statements only (a class is a statement)."""
    found: list[ast.ClassDef] = []
    level: list[ast.AST] = [tree]
    while level:
        below: list[ast.AST] = []
        for node in level:
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, name, ()):
                    if isinstance(child, ast.ClassDef):
                        found.append(child)
                    if not isinstance(child, ast.expr):
                        below.append(child)
        level = below
    return found


def _last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _last_name(node.value)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1]  # a forward reference: "Model"
    return None


def _is_model(node: ast.ClassDef) -> bool:
    bases = {_last_name(base) for base in node.bases}
    decorators = {_last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
    return bool(bases & {"TypedDict", "BaseModel"} or "dataclass" in decorators)


def _model_of_inputs(inference: _Inference, models: dict[str, ast.ClassDef]) -> str | None:
    for scope in inference.scopes.values():
        for node in inference.own_nodes(scope):
            found: str | None = None
            if isinstance(node, ast.Call):
                found = _validated_into(inference, scope, node)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id in scope.inputs or (
                    node.value is not None and inference._is_inputs(node.value, scope)
                ):
                    found = _last_name(node.annotation)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                callee = inference.scopes.get(node)
                for argument in (*node.args.posonlyargs, *node.args.args):
                    if callee and argument.arg in callee.inputs and argument.annotation:
                        found = _last_name(argument.annotation)
            if found in models:
                return found
    return None


def _validated_into(inference: _Inference, scope: Any, call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in JSON_PARSE_METHODS:
        # The model parses the JSON text itself: `Model.model_validate_json(sys.stdin.read())`.
        if call.args and inference._mentions_stdin(call.args[0], scope):
            return _model_named_by(func.value)
        return None
    passes_inputs = any(
        inference._is_inputs(arg.value if isinstance(arg, ast.Starred) else arg, scope)
        for arg in call.args
    ) or any(
        keyword.arg is None and inference._is_inputs(keyword.value, scope)
        for keyword in call.keywords
    )
    if not passes_inputs:
        return None
    if isinstance(func, ast.Name):
        if func.id == "cast" and call.args:
            return _last_name(call.args[0])
        return func.id  # Model(**inputs)
    if isinstance(func, ast.Attribute) and func.attr in _VALIDATORS:
        return _model_named_by(func.value)
    return None


def _model_named_by(owner: ast.AST) -> str | None:
    """The model a validator is called on: `Model`, or `TypeAdapter(Model)`."""
    if isinstance(owner, ast.Call) and _last_name(owner.func) == "TypeAdapter":
        return _last_name(owner.args[0]) if owner.args else None
    return _last_name(owner)


class _Models:
    def __init__(self, models: dict[str, ast.ClassDef]) -> None:
        self.models = models

    def schema(self, name: str, depth: int) -> dict[str, Any]:
        node = self.models[name]
        total = not any(
            k.arg == "total" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
        properties: dict[str, Any] = {}
        required: list[str] = []
        for statement in node.body:
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            field = statement.target.id
            annotation, needed = _unwrap_required(statement.annotation, total)
            if _last_name(annotation) == "ClassVar":
                continue
            properties[field] = self.annotation(annotation, depth + 1)
            if statement.value is not None:
                needed = False
                from scriptcontract.contract.input_schema import _literal  # loaded by now

                found, default = _literal(statement.value)
                if found:
                    properties[field]["default"] = default
            if needed:
                required.append(field)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema

    def annotation(self, node: ast.AST, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            return {}
        if isinstance(node, ast.Constant) and node.value is None:
            return {"type": "null"}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return _any_of([self.annotation(node.left, depth), self.annotation(node.right, depth)])
        name = _last_name(node)
        arguments: list[ast.AST] = []
        if isinstance(node, ast.Subscript):
            inner = node.slice
            arguments = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if name in self.models and not isinstance(node, ast.Subscript):
            return self.schema(name, depth)
        if name == "Optional" and arguments:
            return _any_of([self.annotation(arguments[0], depth), {"type": "null"}])
        if name == "Union":
            return _any_of([self.annotation(a, depth) for a in arguments])
        if name == "Literal":
            values = [a.value for a in arguments if isinstance(a, ast.Constant)]
            return {"enum": values}
        if name in ("Annotated", "Required", "NotRequired") and arguments:
            return self.annotation(arguments[0], depth)
        kind = _SCALARS.get(name or "")
        if kind is None:
            return {}  # Any, or a type the schema cannot say
        schema: dict[str, Any] = {"type": kind}
        if kind == "array" and arguments and name != "tuple":
            schema["items"] = self.annotation(arguments[0], depth)
        return schema


def _unwrap_required(node: ast.expr, total: bool) -> tuple[ast.expr, bool]:
    if isinstance(node, ast.Subscript) and _last_name(node.value) in ("Required", "NotRequired"):
        return node.slice, _last_name(node.value) == "Required"
    return node, total


def _any_of(options: list[dict[str, Any]]) -> dict[str, Any]:
    if any(not option for option in options):
        return {}
    if all(set(option) == {"type"} for option in options):
        types: list[str] = []
        for option in options:
            for kind in option["type"] if isinstance(option["type"], list) else [option["type"]]:
                if kind not in types:
                    types.append(kind)
        return {"type": types[0] if len(types) == 1 else types}
    return {"anyOf": options}
