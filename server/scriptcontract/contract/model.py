"""The one pass over a script's tree: a small model (imports, functions, calls, assignments,
loops, handlers) that every rule reads, so that no rule walks the tree again.

Statements are visited recursively, in source order, with a context saying which function,
loop, `try` and handler they sit in; the expressions of each statement are scanned with a
flat stack. Each statement's parent block is remembered so that rules can follow the
straight-line flow before and after a call.
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from scriptcontract.contract.names import STDLIB_MODULES, STREAMS, WELL_KNOWN_THIRD_PARTY

TRY_TYPES: tuple[type[ast.AST], ...] = (ast.Try,) + (
    (ast.TryStar,) if hasattr(ast, "TryStar") else ()  # type: ignore[attr-defined,unused-ignore]
)
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
LOOP_TYPES = (ast.For, ast.AsyncFor, ast.While)
STREAM_ATTRS = frozenset({"stdin", "stdout", "stderr", "excepthook"})
REDIRECTS = frozenset({"contextlib.redirect_stdout", "contextlib.redirect_stderr"})
# Methods that put their (last) argument into the container they are called on.
CONTAINER_FILLERS = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})


class FunctionInfo:
    """A function defined in the script (methods included, flagged as such)."""

    __slots__ = (
        "calls",
        "is_method",
        "name",
        "node",
        "params",
        "parent",
        "return_sites",
        "returns",
    )

    def __init__(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        parent: FunctionInfo | None,
        is_method: bool,
    ) -> None:
        self.node = node
        self.name = node.name
        self.parent = parent
        self.is_method = is_method
        args = node.args
        self.params = [a.arg for a in (*args.posonlyargs, *args.args)]
        self.calls: list[CallSite] = []
        self.returns: list[ast.Return] = []
        self.return_sites: list[Site] = []  # the returns with where they sit


class Ctx:
    """Where a statement sits: its function, and whether it is in a loop, `try`, handler,
    the `__main__` guard or a `redirect_stdout` block (all within the same function)."""

    __slots__ = ("function", "handler", "in_try", "loop", "main_guard", "redirected")

    def __init__(
        self,
        function: FunctionInfo | None,
        loop: ast.stmt | None,
        in_try: bool,
        handler: ast.ExceptHandler | None,
        main_guard: bool,
        redirected: bool,
    ) -> None:
        self.function = function
        self.loop = loop
        self.in_try = in_try
        self.handler = handler
        self.main_guard = main_guard
        self.redirected = redirected

    def but(self, **changes: object) -> Ctx:
        new = Ctx(
            self.function, self.loop, self.in_try, self.handler, self.main_guard, self.redirected
        )
        for key, value in changes.items():
            setattr(new, key, value)
        return new


class CallSite(NamedTuple):
    node: ast.Call
    name: str | None  # the qualified name, e.g. "json.dumps"; None for `f()()`-like calls
    stmt: ast.stmt
    ctx: Ctx


class Site(NamedTuple):
    node: ast.AST
    stmt: ast.stmt
    ctx: Ctx


class Assignment(NamedTuple):
    value: ast.expr | None  # None: bound by something the model does not follow
    stmt: ast.stmt
    ctx: Ctx
    node: ast.AST  # the target


class Parent(NamedTuple):
    stmt: ast.stmt | None  # None: the module
    block: list[ast.stmt]
    position: int


def dotted_parts(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None unless the chain ends at a plain name."""
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def is_main_guard(test: ast.expr) -> bool:
    if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) is not ast.Eq:
        return False
    sides = (test.left, test.comparators[0])
    names = [s for s in sides if type(s) is ast.Name and s.id == "__name__"]
    consts = [s for s in sides if type(s) is ast.Constant and s.value == "__main__"]
    return len(names) == 1 and len(consts) == 1


def is_constant_true(test: ast.expr) -> bool:
    return type(test) is ast.Constant and bool(test.value) and test.value is not Ellipsis


def loop_statements(body: list[ast.stmt]) -> Iterator[tuple[ast.stmt, bool]]:
    """The statements of a loop's `body` and of the blocks in it, not of the functions or
    classes it defines, each with whether a `break` there leaves this loop: one in a nested
    loop's body leaves that loop, one in its `else:` this one."""
    # A work list instead of recursion: an elif chain nests as deep as it is long.
    work = [(body, True)]
    while work:
        block, own = work.pop()
        for stmt in block:
            if isinstance(stmt, (*FUNCTION_TYPES, ast.ClassDef)):
                continue
            yield stmt, own
            work.append((getattr(stmt, "body", []), own and not isinstance(stmt, LOOP_TYPES)))
            work.extend((getattr(stmt, field, []), own) for field in ("orelse", "finalbody"))
            work.extend((handler.body, own) for handler in getattr(stmt, "handlers", ()))
            work.extend((case.body, own) for case in getattr(stmt, "cases", ()))


class ScriptModel:
    """What the rules know about one script. Built once by `ScriptModel.build`."""

    def __init__(self, tree: ast.Module, scans: dict[ast.AST, list[ast.AST]] | None = None) -> None:
        self.tree = tree
        # What `_scan` found in each expression, in the order it found it. Given the scans of
        # an earlier tree of the same document (whose unchanged statements are the same
        # objects), the expressions an edit did not touch are not walked again.
        self._previous_scans = scans or {}
        self.scans: dict[ast.AST, list[ast.AST]] = {}
        self.aliases: dict[str, str] = {}
        self.imports: list[Site] = []
        self.functions: dict[str, FunctionInfo] = {}
        self.all_functions: list[FunctionInfo] = []
        self.calls: dict[str, list[CallSite]] = {}
        self.methods: dict[str, list[CallSite]] = {}
        self.call_count = 0
        self.stream_refs: dict[str, list[Site]] = {}
        self.assignments: dict[str, list[Assignment]] = {}
        self.attribute_assignments: dict[str, list[Site]] = {}
        # Values stored into an attribute (`job.command = ...`) and into a container
        # (`args["cmd"] = ...`, `parts.append(...)`), by the attribute's dotted name and the
        # container's name: input data flows through them as through plain names.
        self.attribute_values: dict[str, list[Assignment]] = {}
        self.item_values: dict[str, list[Assignment]] = {}
        self.while_true: list[Site] = []
        self.trys: list[Site] = []
        self.raises: list[Site] = []
        self.main_guards: list[ast.If] = []
        # Each statement's block, by id: made when first asked for (a twentieth of the
        # standard library's files ask; making it with the model cost a tenth of its time).
        self._parents: dict[int, Parent] | None = None
        # Memo of `flow.later_statements`' walk up the blocks (see there).
        self.resume_points: dict[int, ast.stmt] = {}
        self._stream_names: dict[str, str] = {}

    @classmethod
    def build(
        cls, tree: ast.Module, scans: dict[ast.AST, list[ast.AST]] | None = None
    ) -> ScriptModel:
        model = cls(tree, scans)
        model._prescan(tree.body)
        top = Ctx(None, None, False, None, False, False)
        model._block(tree.body, None, top, in_class=False)
        return model

    def release(self) -> None:
        """Break the model's reference cycles (function -> its calls, its returns -> their
        context -> function) so that the tree and the model are freed at once, not by the cyclic
        collector (profiled: that collector otherwise costs a third of `check`'s time)."""
        for function in self.all_functions:
            function.calls.clear()
            function.return_sites.clear()  # their context refers back to the function

    # -- queries -------------------------------------------------------------------------

    def calls_to(self, *names: str) -> list[CallSite]:
        """The calls of any of `names`, in source order (names often come from a set, whose
        order changes from one process to the next)."""
        return _in_order(self.calls, names)

    def method_calls(self, *attrs: str) -> list[CallSite]:
        return _in_order(self.methods, attrs)

    def local_function(self, name: str | None) -> FunctionInfo | None:
        """The module's own function `name`, unless an import shadows it."""
        if name is None or name in self.aliases:
            return None
        return self.functions.get(name)

    def resolve(self, node: ast.expr) -> str | None:
        """The qualified name an expression refers to (`j.loads` -> "json.loads")."""
        parts = dotted_parts(node)
        if parts is None:
            return None
        head = self.aliases.get(parts[0])
        if head is not None:
            parts[0] = head
        return ".".join(parts)

    def parent_of(self, stmt: ast.stmt) -> Parent | None:
        if self._parents is None:
            self._parents = _parents_of(self.tree)
        return self._parents.get(id(stmt))

    # -- the walk ------------------------------------------------------------------------

    def _prescan(self, body: list[ast.stmt]) -> None:
        """Imports and functions of the top level first, so that uses before them resolve."""
        # A stack of iterators instead of recursion: an elif chain nests as deep as it is
        # long (Python compiles chains of a few thousand), in source order all the same.
        pending: list[Iterator[ast.stmt]] = [iter(body)]
        while pending:
            stmt = next(pending[-1], None)
            if stmt is None:
                pending.pop()
                continue
            kind = type(stmt)
            if kind is ast.Import or kind is ast.ImportFrom:
                self._import(stmt)  # type: ignore[arg-type]
            elif kind is ast.If or kind in TRY_TYPES:
                pending.append(
                    itertools.chain(
                        stmt.body,  # type: ignore[attr-defined]
                        *(handler.body for handler in getattr(stmt, "handlers", ())),
                        stmt.orelse,  # type: ignore[attr-defined]
                    )
                )

    def _import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if type(stmt) is ast.Import:
            for alias in stmt.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.aliases[top] = top
            return
        module = "." * (stmt.level or 0) + (stmt.module or "")  # type: ignore[union-attr]
        for alias in stmt.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            qualified = f"{module}.{alias.name}" if module else alias.name
            self.aliases[local] = qualified
            if qualified in STREAMS:
                self._stream_names[local] = qualified

    def _block(
        self, block: list[ast.stmt], parent: ast.stmt | None, ctx: Ctx, *, in_class: bool
    ) -> None:
        for stmt in block:
            kind = type(stmt)
            if kind is ast.Expr:
                self._scan(stmt.value, stmt, ctx)  # type: ignore[attr-defined]
            elif kind is ast.Assign:
                self._assign(stmt, ctx)  # type: ignore[arg-type]
            elif kind in SIMPLE_STATEMENTS:
                self._simple(stmt, ctx)
            else:
                self._compound(stmt, ctx, in_class)

    def _simple(self, stmt: ast.stmt, ctx: Ctx) -> None:
        kind = type(stmt)
        if kind is ast.Return:
            if ctx.function is not None:
                ctx.function.returns.append(stmt)  # type: ignore[arg-type]
                ctx.function.return_sites.append(Site(stmt, stmt, ctx))
            if stmt.value is not None:  # type: ignore[attr-defined]
                self._scan(stmt.value, stmt, ctx)  # type: ignore[attr-defined]
        elif kind is ast.AugAssign or kind is ast.AnnAssign:
            target = stmt.target  # type: ignore[attr-defined]
            value = stmt.value  # type: ignore[attr-defined]
            if value is not None:
                self._bind(target, value, stmt, ctx)
                self._scan(value, stmt, ctx)
        elif kind is ast.Import or kind is ast.ImportFrom:
            self._import(stmt)  # type: ignore[arg-type]
            self.imports.append(Site(stmt, stmt, ctx))
        elif kind is ast.Raise:
            self.raises.append(Site(stmt, stmt, ctx))
            if stmt.exc is not None:  # type: ignore[attr-defined]
                self._scan(stmt.exc, stmt, ctx)  # type: ignore[attr-defined]
        elif kind is ast.Assert or kind is ast.Delete:
            for value in ast.iter_child_nodes(stmt):
                self._scan(value, stmt, ctx)  # type: ignore[arg-type]

    def _assign(self, stmt: ast.Assign, ctx: Ctx) -> None:
        for target in stmt.targets:
            self._bind(target, stmt.value, stmt, ctx)
        self._scan(stmt.value, stmt, ctx)

    def _bind(self, target: ast.expr, value: ast.expr | None, stmt: ast.stmt, ctx: Ctx) -> None:
        kind = type(target)
        if kind is ast.Name:
            assignment = _new_tuple(Assignment, (value, stmt, ctx, target))
            known = self.assignments.get(target.id)  # type: ignore[attr-defined]
            if known is None:
                self.assignments[target.id] = [assignment]  # type: ignore[attr-defined]
            else:
                known.append(assignment)
        elif kind is ast.Tuple or kind is ast.List:
            elts = target.elts  # type: ignore[attr-defined]
            values = getattr(value, "elts", None)
            same = type(value) in (ast.Tuple, ast.List) and len(values or ()) == len(elts)
            for i, elt in enumerate(elts):
                self._bind(elt, values[i] if same and values else value, stmt, ctx)
        elif kind is ast.Attribute:
            name = self.resolve(target)
            if name is not None:
                self.attribute_assignments.setdefault(name, []).append(Site(target, stmt, ctx))
                self.attribute_values.setdefault(name, []).append(
                    Assignment(value, stmt, ctx, target)
                )
        elif kind is ast.Subscript:
            base = target.value  # type: ignore[attr-defined]
            while type(base) is ast.Subscript:
                base = base.value
            if type(base) is ast.Name:
                self.item_values.setdefault(base.id, []).append(
                    Assignment(value, stmt, ctx, target)
                )
        elif kind is ast.Starred:
            self._bind(target.value, value, stmt, ctx)  # type: ignore[attr-defined]

    def _compound(self, stmt: ast.stmt, ctx: Ctx, in_class: bool) -> None:
        kind = type(stmt)
        if kind is ast.If:
            node: ast.If = stmt  # type: ignore[assignment]
            while True:
                self._scan(node.test, node, ctx)
                if ctx.function is None and not ctx.main_guard and is_main_guard(node.test):
                    self.main_guards.append(node)
                    self._block(node.body, node, ctx.but(main_guard=True), in_class=in_class)
                else:
                    self._block(node.body, node, ctx, in_class=in_class)
                orelse = node.orelse
                if len(orelse) != 1 or type(orelse[0]) is not ast.If:
                    self._block(orelse, node, ctx, in_class=in_class)
                    break
                # An elif: walked here, in a loop, as `_block` would (no recursion).
                node = orelse[0]
        elif kind in FUNCTION_TYPES:
            self._function(stmt, ctx, in_class)  # type: ignore[arg-type]
        elif kind is ast.For or kind is ast.AsyncFor:
            loop: ast.For = stmt  # type: ignore[assignment]
            self._scan(loop.iter, stmt, ctx)
            self._bind(loop.target, loop.iter, stmt, ctx)
            self._block(loop.body, stmt, ctx.but(loop=stmt), in_class=in_class)
            self._block(loop.orelse, stmt, ctx, in_class=in_class)
        elif kind is ast.While:
            wloop: ast.While = stmt  # type: ignore[assignment]
            self._scan(wloop.test, stmt, ctx)
            if is_constant_true(wloop.test):
                self.while_true.append(Site(stmt, stmt, ctx))
            self._block(wloop.body, stmt, ctx.but(loop=stmt), in_class=in_class)
            self._block(wloop.orelse, stmt, ctx, in_class=in_class)
        elif kind is ast.With or kind is ast.AsyncWith:
            self._with(stmt, ctx, in_class)  # type: ignore[arg-type]
        elif kind in TRY_TYPES:
            self._try(stmt, ctx, in_class)
        elif kind is ast.ClassDef:
            cls: ast.ClassDef = stmt  # type: ignore[assignment]
            for expr in (*cls.decorator_list, *cls.bases, *(k.value for k in cls.keywords)):
                self._scan(expr, stmt, ctx)
            self._block(cls.body, stmt, ctx, in_class=True)
        elif kind.__name__ == "Match":
            match = stmt
            self._scan(match.subject, stmt, ctx)  # type: ignore[attr-defined]
            for case in match.cases:  # type: ignore[attr-defined]
                if case.guard is not None:
                    self._scan(case.guard, stmt, ctx)
                self._block(case.body, stmt, ctx, in_class=in_class)

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Ctx, in_class: bool
    ) -> None:
        for expr in node.decorator_list:
            self._scan(expr, node, ctx)
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self._scan(default, node, ctx)
        info = FunctionInfo(node, ctx.function, in_class)
        self.all_functions.append(info)
        if not in_class:
            self.functions[node.name] = info
        inner = Ctx(info, None, False, None, False, False)
        self._block(node.body, node, inner, in_class=False)

    def _with(self, node: ast.With | ast.AsyncWith, ctx: Ctx, in_class: bool) -> None:
        redirected = ctx.redirected
        for item in node.items:
            self._scan(item.context_expr, node, ctx)
            expr = item.context_expr
            if type(expr) is ast.Call and self.resolve(expr.func) in REDIRECTS:
                redirected = True
            if item.optional_vars is not None:
                self._bind(item.optional_vars, expr, node, ctx)
        inner = ctx.but(redirected=True) if redirected != ctx.redirected else ctx
        self._block(node.body, node, inner, in_class=in_class)

    def _try(self, node: ast.stmt, ctx: Ctx, in_class: bool) -> None:
        self.trys.append(Site(node, node, ctx))
        self._block(node.body, node, ctx.but(in_try=True), in_class=in_class)  # type: ignore[attr-defined]
        for handler in node.handlers:  # type: ignore[attr-defined]
            if handler.type is not None:
                self._scan(handler.type, node, ctx)
            if handler.name:
                self.assignments.setdefault(handler.name, []).append(
                    Assignment(None, node, ctx, handler)
                )
            self._block(handler.body, node, ctx.but(handler=handler), in_class=in_class)
        self._block(node.orelse, node, ctx, in_class=in_class)  # type: ignore[attr-defined]
        self._block(node.finalbody, node, ctx, in_class=in_class)  # type: ignore[attr-defined]

    def _scan(self, root: ast.expr, stmt: ast.stmt, ctx: Ctx) -> None:
        """Every call, stream reference and walrus inside one expression."""
        if type(root) is ast.Constant:  # docstrings, `x = 0`: nothing inside
            return
        found = self._previous_scans.get(root)
        if found is None:
            found = _interesting(root)
        self.scans[root] = found
        stream_names = self._stream_names
        call_t, name_t, attr_t = ast.Call, ast.Name, ast.Attribute
        for node in found:
            kind = type(node)
            if kind is name_t:
                if stream_names and node.id in stream_names:  # type: ignore[attr-defined]
                    self._stream(stream_names[node.id], node, stmt, ctx)  # type: ignore[attr-defined]
            elif kind is call_t:
                self._call(node, stmt, ctx)  # type: ignore[arg-type]
            elif kind is attr_t:
                name = self.resolve(node)  # type: ignore[arg-type]
                if name is not None and name.startswith("sys."):
                    self._stream(name, node, stmt, ctx)
            else:
                self._bind(node.target, node.value, stmt, ctx)  # type: ignore[attr-defined]

    def _stream(self, name: str, node: ast.AST, stmt: ast.stmt, ctx: Ctx) -> None:
        self.stream_refs.setdefault(name, []).append(Site(node, stmt, ctx))

    def _call(self, node: ast.Call, stmt: ast.stmt, ctx: Ctx) -> None:
        func = node.func
        kind = type(func)
        name: str | None = None
        if kind is ast.Name:  # `f(x)`: a third of all calls, named without a list
            first = func.id  # type: ignore[attr-defined]
            name = self.aliases.get(first, first)
        elif kind is ast.Attribute:
            parts = dotted_parts(func)
            if parts is not None:
                first = parts[0]
                head = self.aliases.get(first)
                if head is not None:
                    parts[0] = head
                    name = ".".join(parts)
                elif not (first in STDLIB_MODULES or first in WELL_KNOWN_THIRD_PARTY):
                    name = ".".join(parts)
                # else `requests = queue.Queue(); requests.put(x)`: a variable that happens
                # to share a module's name; the module itself was never imported.
        site = _new_tuple(CallSite, (node, name, stmt, ctx))
        self.call_count += 1
        if name is not None:
            calls = self.calls.get(name)
            if calls is None:
                self.calls[name] = [site]
            else:
                calls.append(site)
        if kind is ast.Attribute:
            attr = func.attr  # type: ignore[attr-defined]
            methods = self.methods.get(attr)
            if methods is None:
                self.methods[attr] = [site]
            else:
                methods.append(site)
            receiver = func.value  # type: ignore[attr-defined]
            if attr in CONTAINER_FILLERS and type(receiver) is ast.Name and node.args:
                self.item_values.setdefault(receiver.id, []).append(
                    Assignment(node.args[-1], stmt, ctx, receiver)
                )
        if ctx.function is not None:
            ctx.function.calls.append(site)


# A named tuple made without the Python-level `__new__` of its class: the model makes one
# per call and per statement.
_new_tuple = tuple.__new__


def _interesting(
    root: ast.expr,
    call_t: type = ast.Call,
    attr_t: type = ast.Attribute,
    name_t: type = ast.Name,
    const_t: type = ast.Constant,
    walrus_t: type = ast.NamedExpr,
    stream_attrs: frozenset[str] = STREAM_ATTRS,
) -> list[ast.AST]:
    """The names, calls, stream attributes and walruses in an expression, without recursion.

    Children are pushed in field order, and the model's lists keep the order found here;
    what is pushed but is not a node (None) has no children in `_CHILDREN`. The commonest
    nodes (names, constants, attribute chains, calls: nine in ten, profiled on the standard
    library) are handled inline, in the order the generic walk would visit them. The node
    types are default arguments: bound once, not looked up at each of the model's many calls.
    """
    kind = type(root)
    if kind is const_t:
        return []
    if kind is name_t:
        return [root]
    found: list[ast.AST] = []
    keep = found.append
    stack: list[Any] = [root]
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    children = _CHILDREN
    while stack:
        node = pop()
        kind = type(node)
        if kind is name_t:
            keep(node)
            continue
        if kind is const_t:
            continue
        if kind is attr_t:
            # An attribute chain: its next value would be popped at once.
            while True:
                if node.attr in stream_attrs:
                    keep(node)
                node = node.value
                kind = type(node)
                if kind is not attr_t:
                    break
            if kind is name_t:
                keep(node)
                continue
            if kind is const_t:
                continue
        if kind is call_t:
            keep(node)
            push(node.func)
            extend(node.args)
            for keyword in node.keywords:
                push(keyword.value)
            continue
        if kind is walrus_t:
            keep(node)
        fields = children.get(kind)
        if fields is None:
            fields = children[kind] = _children_of(kind)
        for value in fields(node):
            if type(value) is list:
                extend(value)
            else:
                push(value)
    return found


# Fields that never hold a node: the `ctx`/`op`/`ops` singletons and names, numbers, flags.
SCALAR_FIELDS = frozenset(
    {"ctx", "op", "ops", "arg", "attr", "id", "kind", "conversion", "is_async", "type_comment"}
)


def _children_of(kind: type) -> Callable[[Any], tuple[object, ...]]:
    """A getter for the fields of `kind` that may hold expressions, in field order."""
    fields = [f for f in getattr(kind, "_fields", ()) if f not in SCALAR_FIELDS]
    if not fields:
        return lambda node: ()
    if len(fields) == 1:
        one = operator.attrgetter(fields[0])
        return lambda node: (one(node),)
    return operator.attrgetter(*fields)


# Per node type, its children getter; filled as types are met.
_CHILDREN: dict[type, Callable[[Any], tuple[object, ...]]] = {}

SIMPLE_STATEMENTS = frozenset(
    {
        ast.Return,
        ast.AugAssign,
        ast.AnnAssign,
        ast.Import,
        ast.ImportFrom,
        ast.Raise,
        ast.Assert,
        ast.Delete,
        ast.Pass,
        ast.Break,
        ast.Continue,
        ast.Global,
        ast.Nonlocal,
    }
)


def _parents_of(tree: ast.Module) -> dict[int, Parent]:
    """Every statement's block and place in it, by id: the module's for its top level, the
    compound statement's for the statements of its bodies (a handler's and a case's body
    belong to their `try` and `match`)."""
    parents: dict[int, Parent] = {}
    pending: list[tuple[ast.stmt | None, list[ast.stmt]]] = [(None, tree.body)]
    while pending:
        owner, block = pending.pop()
        for index, stmt in enumerate(block):
            parents[id(stmt)] = _new_tuple(Parent, (owner, block, index))
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if inner:
                    pending.append((stmt, inner))
            for part in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
                pending.append((stmt, part.body))
    return parents


def _in_order(groups: dict[str, list[CallSite]], keys: tuple[str, ...]) -> list[CallSite]:
    first: list[CallSite] | None = None
    found: list[CallSite] | None = None
    for key in keys:
        group = groups.get(key)
        if not group:
            continue
        if first is None:
            first = group
            continue
        if found is None:
            found = list(first)
        found.extend(group)
    if found is None:
        return list(first) if first is not None else []
    found.sort(key=lambda site: (site.node.lineno, site.node.col_offset))
    return found
