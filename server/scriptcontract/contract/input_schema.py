"""The JSON Schema (draft 2020-12) of a workflow script's inputs, inferred from the code.

Builds on what finds the inputs template (`inputs_template`): the same variables hold the
parsed stdin JSON, and the top-level keys are required or optional, with their defaults,
exactly as the template says. This module adds what the code shows of each value:

- nested objects and arrays: a name bound to a path into the inputs (`items =
  inputs["items"]`, `for item in inputs["items"]`, `inputs.get("opts") or {}`) is followed,
  and `item["id"]` becomes a property of the array's items; nested keys are required when
  indexed outside an `in` check, a `.get` or a `try` that catches `KeyError`;
- types from use: `int(...)`/`float(...)`, arithmetic, string, list and dict methods,
  iteration, `len`, slices, integer indexes, comparisons with literals, `isinstance`,
  literal defaults and `or` fallbacks. Every use adds a type; a value used as several
  types gets all of them;
- enums from membership tests against a literal tuple, list or set (`mode in ("a", "b")`),
  or a module constant holding one, or a dict's keys (`mode in MODES`: `module_constants`),
  where the script refuses a value that is not a member (`_refuses_others`).

A name counts as a path only when every assignment to it in its scope is one, so a value
converted in place (`n = int(n)`) is not mistaken for the raw input. A value with no
telling use has no `type` (any JSON value). Pure, never raises: a source that does not
parse has the schema of an object with no known keys.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scriptcontract.contract.input_descriptions import key_descriptions
from scriptcontract.contract.inputs_template import (
    PLAIN_JSON,
    InputsTemplate,
    _children,
    _Inference,
    _KeyErrorAware,
    _Scope,
    _target_names,
    converged_inference,
    literal_value,
)
from scriptcontract.contract.names import EXITS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Path = tuple[str, ...]
_ITEM = "[]"  # the path segment for "any item of this array"

_CONVERSIONS = {"int": "integer", "float": "number", "Path": "string", "open": "string"}
_ITERABLE_CALLS = frozenset(
    {"sorted", "list", "set", "tuple", "enumerate", "reversed", "sum", "any", "all", "frozenset"}
)
_STRING_METHODS = frozenset(
    {
        "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
        "startswith", "endswith", "replace", "format", "encode", "casefold", "title",
        "capitalize", "isdigit", "isnumeric", "isalpha", "isalnum", "isspace", "zfill",
        "partition", "rpartition", "removeprefix", "removesuffix", "center", "ljust", "rjust",
    }
)  # fmt: skip
_LIST_METHODS = frozenset({"append", "extend", "insert", "sort", "reverse"})
_DICT_METHODS = frozenset({"items", "keys", "values", "update"})
_ISINSTANCE_TYPES = {
    "int": ("integer",),
    "float": ("number",),
    "str": ("string",),
    "bool": ("boolean",),
    "list": ("array",),
    "tuple": ("array",),
    "dict": ("object",),
    "NoneType": ("null",),
}
# The only expressions that can denote a value of the inputs (the rest are not looked at).
_PATH_NODES = frozenset({ast.Name, ast.Subscript, ast.Call, ast.BoolOp, ast.NamedExpr, ast.IfExp})
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
# The nodes that can bind a name to a path (`_bindings`).
_BINDERS = frozenset(
    {
        ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign, ast.For, ast.AsyncFor,
        ast.comprehension, ast.With, ast.AsyncWith,
    }
)  # fmt: skip
_INT_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_TYPE_ORDER = ("object", "array", "string", "number", "integer", "boolean", "null")


@dataclass
class _Value:
    """What the code shows of one value in the inputs."""

    types: set[str] = field(default_factory=set)
    properties: dict[str, _Value] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    checked: list[str] = field(default_factory=list)  # keys tested with `"k" in value`
    items: _Value | None = None
    enum: list[Any] = field(default_factory=list)
    default: Any = None
    has_default: bool = False
    sized: bool = False  # `len(v)`, `v[1:]`: a string or an array, if nothing says which
    sites: dict[str, ast.AST] = field(default_factory=dict)  # each key's first read

    def read_at(self, key: str, node: ast.AST) -> None:
        known = self.sites.get(key)
        if known is None or _position(node) < _position(known):
            self.sites[key] = node

    def child(self, key: str) -> _Value:
        if key == _ITEM:
            if self.items is None:
                self.items = _Value()
            return self.items
        found = self.properties.get(key)
        if found is None:  # not `setdefault`, which builds a value at every call (profiled)
            found = self.properties[key] = _Value()
        return found


@dataclass(frozen=True)
class InferredInputs:
    """One inference of a script's inputs: the schema, and what tells which path into the
    inputs an expression denotes (`key_reads` finds every read with it, as the schema
    found them). `inference` is None when the source does not parse or the inference gave
    up; `followed` is False when the names bound to paths could not be worked out."""

    schema: dict[str, Any]
    root: _Value
    inference: _Inference | None = None
    bindings: dict[ast.AST, dict[str, Path]] = field(default_factory=dict)
    followed: bool = False

    def paths(self, scope: _Scope) -> Callable[[ast.AST], Path | None]:
        """The path into the inputs an expression of `scope` denotes, if any."""
        assert self.inference is not None
        own = self.bindings.get(scope.node, {})
        return _Resolver(self.inference, scope, own, self.bindings).path


def infer_input_schema(source: str) -> dict[str, Any]:
    """The JSON Schema of the inputs `source` reads. Never raises."""
    return inferred_inputs(source).schema


def inferred_inputs(source: str, *, whole: bool = False) -> InferredInputs:
    """The inference of the inputs `source` reads, its schema included. Never raises."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _nothing_known(_Value(types={"object"}))
    return _infer(tree, source, whole)


def _nothing_known(root: _Value) -> InferredInputs:
    return InferredInputs({"$schema": SCHEMA_DIALECT, **_top_level(root, InputsTemplate())}, root)


def input_schema_of(tree: ast.Module, source: str, *, whole: bool = False) -> dict[str, Any]:
    """`infer_input_schema` of a tree already parsed from `source` (the analysis's): the
    tree is only read. Never raises. `whole` reads every statement (the slow way, which
    gives the same schema: the tests compare them)."""
    return _infer(tree, source, whole).schema


def inferred_inputs_of(tree: ast.Module | None, source: str) -> InferredInputs:
    """`inferred_inputs` of a tree already parsed from `source` (None: it does not parse):
    the tree is only read. Never raises."""
    if tree is None:
        return _nothing_known(_Value(types={"object"}))
    return _infer(tree, source, False)


def input_reads(inferred: InferredInputs) -> tuple[dict[str, Any], dict[str, ast.AST]]:
    """The schema of an inference (`inferred_inputs_of`), and where each key is first read:
    the key's string literal, by its path as `undeclared_keys` names it (`mode`,
    `items[].id`)."""
    sites: dict[str, ast.AST] = {}
    _collect_sites(inferred.root, "", sites)
    return inferred.schema, sites


def _collect_sites(value: _Value, where: str, sites: dict[str, ast.AST]) -> None:
    for key, node in value.sites.items():
        sites.setdefault(f"{where}.{key}" if where else key, node)
    for name, child in value.properties.items():
        _collect_sites(child, f"{where}.{name}" if where else name, sites)
    if value.items is not None:
        _collect_sites(value.items, f"{where}[]", sites)


def _infer(tree: ast.Module, source: str, whole: bool) -> InferredInputs:
    root = _Value(types={"object"})
    bindings: dict[ast.AST, dict[str, Path]] = {}
    unfollowed: list[BaseException] = []

    def bound(inference: _Inference) -> set[str]:
        # The names bound to a path are followed too: their uses give the types.
        named: set[str] = set()
        bindings.clear()
        unfollowed.clear()
        try:
            for node, scope in inference.scopes.items():
                bindings[node] = _bindings(inference, scope, named)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            unfollowed.append(exc)  # the keys stand; what is known of their values does not
        return named

    # One inference gives the template and the scopes the uses are looked for in.
    try:
        if whole:
            inference = _Inference(tree, source)
            inference.propagate()
            bound(inference)
        else:
            inference = converged_inference(tree, source, bound)
        template = inference.run()
    except RecursionError:
        return _nothing_known(root)
    constants = _Constants(inference.tree, inference.source)  # one for every scope
    try:
        if not unfollowed:
            for scope in inference.scopes.values():
                _UseFinder(inference, scope, bindings, root, constants).visit_scope()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        root = _Value(types={"object"})
    schema = {"$schema": SCHEMA_DIALECT, **_top_level(root, template)}
    documented = [tree] + [
        scope.node for scope in inference.scopes.values() if set(scope.params) & scope.inputs
    ]
    descriptions = key_descriptions(source, documented, template.keys)
    properties = schema["properties"]
    for name, text in descriptions.items():
        properties[name] = {"description": text, **properties[name]}
    return InferredInputs(schema, root, inference, bindings, not unfollowed)


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _top_level(root: _Value, template: InputsTemplate) -> dict[str, Any]:
    # The template is the authority on the top-level keys: their order, whether each is
    # required and its default; the uses found here give their types and shapes.
    properties: dict[str, Any] = {}
    for key in template.keys:
        value = root.properties.get(key.name, _Value())
        # `.get("x")` has a default of None in the template, which says nothing of the type.
        value.has_default = key.has_default and key.default_text is None and key.default is not None
        value.default = key.default if value.has_default else None
        properties[key.name] = _schema(value)
    for name, value in root.properties.items():
        properties.setdefault(name, _schema(value))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [key.name for key in template.keys if key.required]
    if required:
        schema["required"] = required
    return schema


def _schema(value: _Value) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    types = set(value.types)
    if value.properties:
        types.add("object")
    if value.items is not None:
        types.add("array")
    if value.has_default:
        types |= _literal_types(value.default)
    if value.sized and not types:
        types = {"array", "string"}
    if "number" in types:
        types.discard("integer")
    ordered = [name for name in _TYPE_ORDER if name in types]
    if len(ordered) == 1:
        schema["type"] = ordered[0]
    elif ordered:
        schema["type"] = ordered
    if value.enum:
        schema["enum"] = value.enum
    if value.properties or ("object" in types and value.checked):
        properties = {name: _schema(child) for name, child in value.properties.items()}
        for name in value.checked:
            properties.setdefault(name, {})
        schema["properties"] = properties
        required = [name for name in properties if name in value.required]
        if required:
            schema["required"] = required
    if value.items is not None:
        schema["items"] = _schema(value.items)
    if value.has_default:
        schema["default"] = value.default
    return schema


def _refuses(body: list[ast.stmt]) -> bool:
    """A block that ends the script or the call with an error: its last statement raises,
    exits (`sys.exit(1)`, `sys.exit("message")`; not `sys.exit(0)`) or returns an error
    object (`return {"success": False, ...}`, `return {"error": ...}`)."""
    last = body[-1] if body else None
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.Return):
        return isinstance(last.value, ast.Dict) and _is_error_object(last.value)
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return False
    call = last.value
    func = call.func
    name = func.id if isinstance(func, ast.Name) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        name = f"{func.value.id}.{func.attr}"
    if name not in EXITS:
        return False
    status = call.args[0] if call.args else None
    return not (status is None or (isinstance(status, ast.Constant) and status.value in (0, None)))


def _is_error_object(node: ast.Dict) -> bool:
    for key, value in zip(node.keys, node.values, strict=True):
        name = _string_key(key) if key is not None else None
        if name == "error" or (
            name == "success" and isinstance(value, ast.Constant) and value.value is False
        ):
            return True
    return False


def _literal_types(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, (list, tuple)):
        return {"array"}
    if isinstance(value, dict):
        return {"object"}
    return set()


def _literal(node: ast.AST) -> tuple[bool, Any]:
    """(True, value) for a literal the schema can hold."""
    if isinstance(node, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.UnaryOp)):
        try:
            value = literal_value(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False, None
        if isinstance(value, (tuple, set, frozenset)):
            value = list(value)
        try:
            if type(value) not in PLAIN_JSON:
                json.dumps(value, allow_nan=False)  # `1e999` is a float literal, not JSON
        except (ValueError, TypeError, RecursionError):
            return False, None
        return True, value
    return False, None


def _string_key(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# --- which names hold a path into the inputs -------------------------------------------


def _bindings(inference: _Inference, scope: _Scope, named: set[str]) -> dict[str, Path]:
    """Names of `scope` every assignment of which is a path into the inputs (and, into
    `named`, every name one assignment binds to a path)."""
    candidates: dict[str, Path | None] = {}

    def bind(target: ast.AST, path: Path | None) -> None:
        for name in _target_names(target):
            if isinstance(target, ast.Name) and path is not None:
                named.add(name)
                known = candidates.get(name, path)
                candidates[name] = path if known == path else None
            else:
                candidates[name] = None

    binders = [node for node in inference.own_nodes(scope) if type(node) in _BINDERS]
    # Two rounds: `item = items[0]` needs `items` first, whatever order they come in. The
    # first knows no name of the scope: a binder whose paths asked for none of the names
    # it found has the same paths in the second (profiled: most of them).
    first = _Asking(inference, scope, {})
    found: list[tuple[Path | None, set[str]]] = []
    for node in binders:
        first.asked = set()
        found.append((_bound_path(node, first), first.asked))
    for node, (path, _) in zip(binders, found, strict=True):
        _bind_targets(node, path, bind)
    own = {k: v for k, v in candidates.items() if v}
    if any(not asked.isdisjoint(own) for _, asked in found):
        # (else the second round binds the same paths in the same order: the same names)
        candidates = {}
        resolver = _Resolver(inference, scope, own)
        for node, (path, asked) in zip(binders, found, strict=True):
            if not asked.isdisjoint(own):
                path = _bound_path(node, resolver)
            _bind_targets(node, path, bind)
    return {name: path for name, path in candidates.items() if path is not None}


def _bound_path(node: ast.AST, resolver: _Resolver) -> Path | None:
    """The path a binder of `_bindings` binds its targets to, if any."""
    if isinstance(node, ast.Assign):
        return resolver.path(node.value)
    if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        return resolver.path(node.value)
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        iterated = resolver.path(node.iter)
        return None if iterated is None else (*iterated, _ITEM)
    return None


def _bind_targets(
    node: ast.AST, path: Path | None, bind: Callable[[ast.AST, Path | None], None]
) -> None:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            bind(target, path)
    elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        bind(node.target, path)
    elif isinstance(node, ast.AugAssign):
        bind(node.target, None)
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        bind(node.target, path)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                bind(item.optional_vars, None)


class _Resolver:
    """Which path into the inputs an expression denotes, if any."""

    def __init__(
        self,
        inference: _Inference,
        scope: _Scope,
        own: dict[str, Path],
        outer: dict[ast.AST, dict[str, Path]] | None = None,
    ) -> None:
        self.inference = inference
        self.scope = scope
        self.own = own
        self.outer = outer or {}

    def _name(self, name: str) -> Path | None:
        if name in self.own:
            return self.own[name]
        current = self.scope.parent
        if name in self.scope.locals:
            return None
        while current is not None:
            bound = self.outer.get(current.node, {})
            if name in bound:
                return bound[name]
            if name in current.locals:
                return None
            current = current.parent
        return None

    def path(self, node: ast.AST | None) -> Path | None:
        if node is None:
            return None
        if self.inference._is_inputs(node, self.scope):
            return ()
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Subscript):
            base = self.path(node.value)
            if base is None:
                return None
            key = _string_key(node.slice)
            if key is not None:
                return (*base, key)
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
                return (*base, _ITEM)
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get", "setdefault", "pop") and node.args:
                base = self.path(node.func.value)
                key = _string_key(node.args[0])
                if base is not None and key is not None:
                    return (*base, key)
            return None
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return next((p for p in map(self.path, node.values) if p is not None), None)
        if isinstance(node, ast.NamedExpr):
            return self.path(node.value)
        if isinstance(node, ast.IfExp):
            # `ti.get("command") if isinstance(ti, dict) else None`: the value, or a literal
            # in its place (as `or` gives a fallback); two different paths are neither.
            body, orelse = self.path(node.body), self.path(node.orelse)
            if body is None and isinstance(node.body, ast.Constant):
                return orelse
            if orelse is None and isinstance(node.orelse, ast.Constant):
                return body
            return body if body == orelse else None
        return None


class _Asking(_Resolver):
    """A resolver that notes the names it looks up (`_bindings`' first round)."""

    asked: set[str]

    def _name(self, name: str) -> Path | None:
        self.asked.add(name)
        return super()._name(name)


# --- what each use of a path says ---------------------------------------------------


class _Constants:
    """The module's constant collections (`module_constants`), found once per inference, at
    the first `x in NAME` of any scope: most scripts have none."""

    def __init__(self, tree: ast.Module, source: str) -> None:
        self.tree = tree
        self.source = source
        self._found: dict[str, list[Any]] | None = None

    def members(self) -> dict[str, list[Any]]:
        if self._found is None:
            self._found = module_constants(self.tree, self.source)
        return self._found


class _UseFinder(_KeyErrorAware):
    """Walks one scope, recording the keys, types and enums of each path it uses."""

    def __init__(
        self,
        inference: _Inference,
        scope: _Scope,
        bindings: dict[ast.AST, dict[str, Path]],
        root: _Value,
        constants: _Constants,
    ) -> None:
        self.resolver = _Resolver(inference, scope, bindings.get(scope.node, {}), bindings)
        self.constants = constants
        self.known_children = inference.children
        self.pruned = inference.relevant is not None
        self.scope = scope
        self.root = root
        self.parents: list[ast.AST] = []
        self.guarded: list[set[tuple[Path, str]]] = []
        self.catches_key_error = 0

    def visit_scope(self) -> None:
        node = self.scope.node
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
            self._visit_block(node.body)

    def visit(self, node: ast.AST) -> Any:
        kind = type(node)
        if kind in _SCOPES:
            return None
        known = self.known_children.get(node)
        if known is None:
            if self.pruned:  # `_Inference.skipped`
                return None
            known = _children(node)
        # Among its `parents`, with the path it denotes, and without a call for the
        # generic visit (profiled: two calls a node were a third of the walk's own time).
        parents = self.parents
        parents.append(node)
        if kind in _PATH_NODES:
            path = self.resolver.path(node)
            if path is not None:
                self._use(node, path)
        visitor = self._visitors.get(kind) or self._visitor(kind)
        if visitor is not _KeyErrorAware.generic_visit:
            visitor(self, node)
        elif self.pruned:
            every = self.known_children
            for child in known:
                if child in every:  # (else `_Inference.skipped`)
                    self.visit(child)
        else:
            for child in known:
                self.visit(child)
        parents.pop()
        return None

    def _value(self, path: Path) -> _Value:
        value = self.root
        for segment in path:
            value = value.child(segment)
        return value

    # --- guards ---

    def _tested(self, test: ast.AST) -> tuple[set[tuple[Path, str]], set[tuple[Path, str]]]:
        present: set[tuple[Path, str]] = set()
        absent: set[tuple[Path, str]] = set()
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            for part in test.values:
                present |= self._tested(part)[0]
        elif isinstance(test, ast.Compare) and len(test.ops) == 1:
            key = _string_key(test.left)
            base = self.resolver.path(test.comparators[0])
            if key is not None and base is not None:
                if isinstance(test.ops[0], ast.In):
                    present.add((base, key))
                elif isinstance(test.ops[0], ast.NotIn):
                    absent.add((base, key))
        return present, absent

    def _branches(self, test: ast.AST, body: list[Any], orelse: list[Any]) -> None:
        self.visit(test)
        present, absent = self._tested(test)
        for branch, keys in ((body, present), (orelse, absent)):
            self.guarded.append(keys)
            self._visit_block(branch)
            self.guarded.pop()

    def visit_If(self, node: ast.If) -> None:
        self._branches(node.test, node.body, node.orelse)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._branches(node.test, [node.body], [node.orelse])

    def _guarded(self, path: Path, key: str) -> bool:
        return self.catches_key_error > 0 or any((path, key) in keys for keys in self.guarded)

    # --- uses ---

    def _use(self, node: ast.AST, path: Path) -> None:
        """Record what the expression around `node` (which denotes `path`) says of it."""
        value = self._value(path)
        self._read(node, path)
        parent = self.parents[-2] if len(self.parents) >= 2 else None
        for found in self._types_from(node, parent):
            value.types.add(found)

    def _read(self, node: ast.AST, path: Path) -> None:
        """A key read: where, and (nested) is it required of the object holding it?"""
        if not path or path[-1] == _ITEM:
            return
        base, key = path[:-1], path[-1]
        holder = self._value(base)
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            holder.read_at(key, node.slice)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            holder.read_at(key, node.args[0])
        if len(path) < 2:
            return
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if not self._guarded(base, key):
                holder.required.add(key)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if len(node.args) > 1:
                found, default = _literal(node.args[1])
                target = holder.child(key)
                if found and not target.has_default:
                    target.has_default, target.default = True, default
            elif node.func.attr == "pop" and not self._guarded(base, key):
                holder.required.add(key)

    def _types_from(self, node: ast.AST, parent: ast.AST | None) -> Iterator[str]:
        if isinstance(parent, ast.Subscript) and parent.value is node:
            if _string_key(parent.slice) is not None:
                yield "object"
            elif isinstance(parent.slice, ast.Slice):
                self._sized(node)  # `v[1:]`: a list or a string
            elif self._int_index(parent.slice):
                yield "array"
        elif isinstance(parent, ast.Call):
            yield from self._call_types(node, parent)
        elif isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.parents[-3] if len(self.parents) >= 3 else None
            if isinstance(call, ast.Call) and call.func is parent:
                if parent.attr in _STRING_METHODS:
                    yield "string"
                elif parent.attr in _LIST_METHODS:
                    yield "array"
                elif parent.attr in _DICT_METHODS or parent.attr in ("get", "setdefault"):
                    yield "object"
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
            if parent.iter is node:
                yield "array"
        elif isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is node else parent.left
            yield from _arithmetic_types(parent.op, other)
        elif isinstance(parent, ast.AugAssign) and parent.value is node:
            yield from _arithmetic_types(parent.op, None)
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            yield "number"
        elif isinstance(parent, ast.Compare):
            yield from self._compare_types(node, parent)
        elif isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or):
            for other in parent.values:
                found, literal = _literal(other)
                if other is not node and found:
                    yield from _literal_types(literal)

    def _call_types(self, node: ast.AST, call: ast.Call) -> Iterator[str]:
        func = call.func
        if node not in call.args:
            return
        if isinstance(func, ast.Name):
            if func.id in _CONVERSIONS:
                yield _CONVERSIONS[func.id]
            elif func.id in _ITERABLE_CALLS and len(call.args) == 1:
                yield "array"
            elif func.id == "len":
                self._sized(node)
            elif func.id == "dict" and len(call.args) == 1:
                yield "object"
            elif func.id == "isinstance" and len(call.args) == 2 and call.args[0] is node:
                if self._refuses_when_true():
                    return  # `if isinstance(v, bool): raise ...`: bool is refused, not used
                for name in _type_names(call.args[1]):
                    yield from _ISINSTANCE_TYPES.get(name, ())
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "loads"
            and isinstance(func.value, ast.Name)
            and func.value.id in self.resolver.inference.json_names
            and call.args[0] is node
        ):
            yield "string"  # a JSON document inside the inputs, as text
        elif isinstance(func, ast.Attribute) and func.attr == "join" and call.args[0] is node:
            yield "array"
            value = self._value_of(node)
            if value is not None:
                value.child(_ITEM).types.add("string")

    def _refuses_when_true(self) -> bool:
        """Whether the call visited (`parents[-2]`) being true makes the script refuse its
        inputs: it is the test of an `if` whose body raises or exits, or a part of one that
        makes it true on its own (an operand of `or`), under no `not` or an even number.
        `if isinstance(v, bool) or not isinstance(v, int): raise ...` refuses booleans and
        requires an integer (the usual guard: `bool` is a kind of `int` in Python)."""
        negated = False
        child = self.parents[-2]
        for above in reversed(self.parents[:-2]):
            if isinstance(above, ast.UnaryOp) and isinstance(above.op, ast.Not):
                negated = not negated
            elif isinstance(above, ast.If) and above.test is child:
                return not negated and _refuses(above.body)
            elif not (isinstance(above, ast.BoolOp) and isinstance(above.op, ast.Or)):
                return False
            child = above
        return False

    def _refuses_others(self, compare: ast.Compare) -> bool:
        """Whether a value that is not a member of `v in MEMBERS` or `v not in MEMBERS` (the
        compare visited, `parents[-2]`) makes the script refuse its inputs: the `if` the
        compare decides on its own sends it to a branch that raises, exits with an error or
        returns an error object, or an `assert` fails. A branch that only skips the value
        (`sys.exit(0)` in a hook that handles some tools, `continue`) or goes on accepts
        it: the members are then no `enum`, which would call other values wrong."""
        outside_true = isinstance(compare.ops[0], ast.NotIn)  # the compare, for a non-member
        child = self.parents[-2]
        for above in reversed(self.parents[:-2]):
            if isinstance(above, ast.UnaryOp) and isinstance(above.op, ast.Not):
                outside_true = not outside_true
            elif isinstance(above, ast.If) and above.test is child:
                return _refuses(above.body if outside_true else above.orelse)
            elif isinstance(above, ast.Assert) and above.test is child:
                return not outside_true
            elif not (
                isinstance(above, ast.BoolOp)
                # true on its own makes an `or` true; false on its own makes an `and` false
                and isinstance(above.op, ast.Or if outside_true else ast.And)
            ):
                return False
            child = above
        return False

    def _sized(self, node: ast.AST) -> None:
        # `len(v)`, `v[1:]`: a string or a list (or, for `len`, an object). Allowed both
        # only when no other use says which (`_schema`), whatever the order of the uses.
        value = self._value_of(node)
        if value is not None:
            value.sized = True

    def _int_index(self, index: ast.AST) -> bool:
        """An index that is surely an integer: only a list (of those JSON gives) takes it.
        A name of unknown type may be a key (`prices[sku]`), so it says nothing."""
        if isinstance(index, ast.Constant):
            return isinstance(index.value, int)
        if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
            return self._int_index(index.operand)  # `v[-1]`
        if isinstance(index, ast.Call) and isinstance(index.func, ast.Name):
            return index.func.id in ("len", "int")
        if isinstance(index, ast.BinOp) and isinstance(index.op, _INT_OPERATORS):
            return self._int_index(index.left) and self._int_index(index.right)
        return isinstance(index, ast.Name) and self._counter(index.id)

    def _counter(self, name: str) -> bool:
        """`name` counts the turns of a loop around the node visited: `for name in
        range(...)`, `for name, x in enumerate(...)` (a loop or a comprehension), and the
        loop's body does not assign it."""
        for around in reversed(self.parents):
            if isinstance(around, (ast.For, ast.AsyncFor)):
                loops = [(around.target, around.iter)]
            elif isinstance(around, _COMPREHENSIONS):
                loops = [(each.target, each.iter) for each in around.generators]
            else:
                continue
            for target, iterated in loops:
                if not _counts(target, iterated, name):
                    continue
                return not isinstance(around, (ast.For, ast.AsyncFor)) or not any(
                    isinstance(node, ast.Name)
                    and node.id == name
                    and not isinstance(node.ctx, ast.Load)
                    for statement in around.body
                    for node in ast.walk(statement)
                )
        return False

    def _members(self, other: ast.AST) -> tuple[bool, Any]:
        """What `x in <other>` tests against: a literal tuple, list or set, or a constant."""
        if isinstance(other, ast.Name):
            return self._constant_members(other.id)
        found, values = _literal(other)
        if found and isinstance(other, ast.Set):
            values = sorted(values, key=repr)  # a set's order is not the source's
        return found, values

    def _constant_members(self, name: str) -> tuple[bool, list[Any]]:
        """What `x in NAME` tests against, when `NAME` is one of the module's constants
        (`module_constants`) and this scope does not bind a name of its own so spelt."""
        current: _Scope | None = self.scope
        while current is not None and current.parent is not None:
            if name in current.locals:
                return False, []
            current = current.parent
        members = self.constants.members().get(name)
        return (members is not None), list(members or [])

    def _value_of(self, node: ast.AST) -> _Value | None:
        path = self.resolver.path(node)
        return None if path is None else self._value(path)

    def _compare_types(self, node: ast.AST, compare: ast.Compare) -> Iterator[str]:
        if len(compare.ops) != 1:
            return
        op = compare.ops[0]
        other = compare.comparators[0] if compare.left is node else compare.left
        if isinstance(op, (ast.In, ast.NotIn)):
            if compare.left is node and isinstance(other, (ast.Name, ast.Tuple, ast.List, ast.Set)):
                found, values = self._members(other)
                if found and values and all(_literal_types(v) for v in values):
                    value = self._value_of(node)
                    if value is not None and self._refuses_others(compare):
                        value.enum.extend(v for v in values if v not in value.enum)
                    for literal in values:
                        yield from _literal_types(literal)
            elif compare.comparators[0] is node:
                key = _string_key(compare.left)
                value = self._value_of(node)
                if key is not None and value is not None:
                    value.read_at(key, compare.left)
                    if key not in value.checked:
                        value.checked.append(key)
            return
        if isinstance(op, (ast.Is, ast.IsNot)):
            return
        found, literal = _literal(other)
        if not found:
            return
        types = _literal_types(literal)
        if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) and types & {"integer", "number"}:
            yield "number"
        else:
            yield from types


# What binds a name again, or changes a collection after it is bound: an assignment (plain
# or augmented) or a walrus, a loop, `as`, an import, a definition or `global`; an item stored
# or deleted, a method that adds or takes members.
_REBINDS = (
    r"(?<![\w.]){name}\s*(?::[^=\n]*)?(?:[-+*/|&^%@]|//|>>|<<|\*\*)?=(?!=)|{name}\s*:="
    r"|\b(?:as|def|class|global|nonlocal)\s+{name}\b|\bfor\b[^\n]*\b{name}\b[^\n]*\bin\b"
    r"|\bimport\b[^\n]*\b{name}\b|\bdel\b[^\n]*\b{name}\b"
)
_CHANGES = (
    r"\b{name}\s*\[[^\]\n]*\]\s*(?:[-+*/|&^%@]|//|>>|<<|\*\*)?=(?!=)"
    r"|\b{name}\.(?:update|add|append|extend|insert|setdefault|pop|popitem|remove|discard"
    r"|clear|__setitem__|__delitem__)\s*\("
)


def module_constants(tree: ast.Module, source: str) -> dict[str, list[Any]]:
    """The module's constant collections: an upper-case name bound at the top level to a
    literal tuple, list, set or dict (its keys) of plain values, and neither bound again
    anywhere nor changed (no item stored or deleted, no member added or taken), by the
    members `x in NAME` tests against (`OPERATIONS = {"upper": str.upper, ...}`). Read off
    the text: a name so used nowhere else is the rule for such constants."""
    import re

    found: dict[str, list[Any]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if not isinstance(target, ast.Name) or not target.id.isupper():
            continue
        name = target.id
        members: ast.AST = value
        if isinstance(value, ast.Dict):
            if any(key is None for key in value.keys):
                continue  # `{**OTHER}`
            members = ast.List(elts=[key for key in value.keys if key is not None])
        elif not isinstance(value, (ast.Tuple, ast.List, ast.Set)):
            continue
        literal, values = _literal(members)
        if not literal or not isinstance(values, list) or not values:
            continue
        escaped = re.escape(name)
        if len(re.findall(_REBINDS.format(name=escaped), source)) != 1:
            continue  # bound again somewhere (the one match is this statement)
        if re.search(_CHANGES.format(name=escaped), source):
            continue
        found[name] = sorted(values, key=repr) if isinstance(value, ast.Set) else values
    return found


def _counts(target: ast.AST, iterated: ast.AST, name: str) -> bool:
    """`for <target> in <iterated>` binds `name` to the turn's number."""
    if not (isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name)):
        return False
    if iterated.func.id == "range":
        return isinstance(target, ast.Name) and target.id == name
    if iterated.func.id == "enumerate":
        return (
            isinstance(target, ast.Tuple)
            and len(target.elts) == 2
            and isinstance(target.elts[0], ast.Name)
            and target.elts[0].id == name
        )
    return False


def _arithmetic_types(op: ast.operator, other: ast.AST | None) -> Iterator[str]:
    found, literal = _literal(other) if other is not None else (False, None)
    other_types = _literal_types(literal) if found else set()
    if isinstance(op, ast.Add):
        # `+` also joins strings and lists: only a literal operand says which.
        yield from other_types & {"string", "array", "number", "integer"}
    elif isinstance(op, ast.Mod) and "string" in other_types:
        return
    elif isinstance(op, (ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)):
        if isinstance(op, ast.Mult) and other_types & {"string", "array"}:
            return
        yield "number"


def _type_names(node: ast.AST) -> Iterator[str]:
    for part in node.elts if isinstance(node, ast.Tuple) else [node]:
        if isinstance(part, ast.Name):
            yield part.id
        elif isinstance(part, ast.Attribute):
            yield part.attr
        elif (
            isinstance(part, ast.Call)
            and isinstance(part.func, ast.Name)
            and part.func.id == "type"
        ):
            yield "NoneType"


def undeclared_keys(declared: dict[str, Any], inferred: dict[str, Any]) -> list[str]:
    """The keys the code reads (per `inferred`) that `declared` does not list, as paths
    (`items[].id`). Compared only where the declared schema lists properties: a level it
    leaves open (no `properties`, or a `$ref`) says nothing to disagree with."""
    found: list[str] = []
    _compare(declared, inferred, "", found)
    return found


def _compare(declared: Any, inferred: Any, where: str, found: list[str]) -> None:
    if not isinstance(declared, dict) or not isinstance(inferred, dict):
        return
    # `T | None` declares `anyOf` (or `oneOf`) branches: a key listed by any of them counts.
    branches = [declared, *_branches(declared)]
    listed = [b["properties"] for b in branches if isinstance(b.get("properties"), dict)]
    for name, child in (inferred.get("properties") or {}).items():
        path = f"{where}.{name}" if where else name
        if listed:
            holder = next((properties for properties in listed if name in properties), None)
            if holder is None:
                found.append(path)
            else:
                _compare(holder[name], child, path, found)
    if "items" in inferred:
        items = next((b["items"] for b in branches if "items" in b), None)
        _compare(items, inferred["items"], f"{where}[]", found)


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if isinstance(options, list):
            found.extend(option for option in options if isinstance(option, dict))
    return found
