"""Which input keys a workflow script reads, whether each is required, and its default.

Pure analysis of the source: finds the variables that hold the parsed stdin JSON (the
result of `json.load(sys.stdin)`, `json.loads(raw)` where `raw` came from stdin, a helper
function that returns either, any variable or parameter named `inputs`, and the parameter
of a function the inputs are passed to, such as `main(inputs)`), then every read of a
constant key through them:

- `inputs["x"]` is required, unless it sits under `if "x" in inputs:`, in the `else` of
  `if "x" not in inputs:`, in a conditional expression testing the same, or in a `try`
  that catches `KeyError`;
- `inputs.get("x")`, `inputs.get("x", default)` and `inputs.setdefault("x", default)` are
  optional, with the default when it is a literal;
- `inputs.pop("x")` is required, `inputs.pop("x", default)` is optional;
- `"x" in inputs` names an optional key.

The language server uses the answer for the run template, the sidecar inputs file and
hover. Never raises: a source that does not parse has no known inputs.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from scriptcontract.contract.finding import Range

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What `\w` matches in ASCII text.
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# `name = ...`, `name: T = ...`, `for name in ...` at the start of a line.
_BOUND = re.compile(r"\s*(?:for\s+)?([A-Za-z_]\w*)\s*(?:\bin\b|:[^=]*=|=(?!=))")
_MAX_PASSES = 8
# The nodes through which the inputs pass from one variable or function to another.
_MOVERS = frozenset({ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return, ast.Call})
# What a required key's template value is, by the call the script wraps the value in.
_PLACEHOLDER_BY_CALL: dict[str, Any] = {
    "int": 0,
    "float": 0.0,
    "bool": False,
    "str": "",
    "Path": "",
    "open": "",
    "list": [],
    "len": [],
    "sorted": [],
    "dict": {},
}


@dataclass(frozen=True, kw_only=True)
class InputKey:
    """One key of the inputs object that the script reads."""

    name: str
    required: bool
    has_default: bool = False
    default: Any = None  # the literal default (JSON value), if any
    default_text: str | None = None  # the default's source text when it is not a JSON literal
    placeholder: Any = ""  # the template's value when there is no default
    reads: list[Range] = field(default_factory=list)  # the key's string literal at each read

    @property
    def template_value(self) -> Any:
        if self.has_default and self.default_text is None:
            return self.default
        return self.placeholder


@dataclass(frozen=True)
class InputsTemplate:
    """Every input key a script reads, in order of first read."""

    keys: list[InputKey] = field(default_factory=list)

    def template(self) -> dict[str, Any]:
        """An inputs object to start from: defaults where known, placeholders elsewhere."""
        return {key.name: key.template_value for key in self.keys}

    def key_at(self, line: int, character: int) -> InputKey | None:
        """The key whose string literal covers the code-point position, if any."""
        for key in self.keys:
            for read in key.reads:
                start, end = read.start, read.end
                if (start.line, start.character) <= (line, character) <= (end.line, end.character):
                    return key
        return None


def infer_inputs(source: str) -> InputsTemplate:
    """The input keys `source` reads. Never raises."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return InputsTemplate()
    try:
        return converged_inference(tree, source).run()
    except RecursionError:
        return InputsTemplate()


class Relevant:
    """Which nodes can matter to the inference: those that hold one of a set of identifiers.
    A name in the tree is written in the source, inside the range of every node that holds
    it, so a node whose range holds none of the identifiers' occurrences cannot contain one.
    Statements are asked by their lines (decorators included); on a source of ASCII text,
    where the tree's columns are the text's, the other nodes with a position are asked by
    their exact range. Strings and comments only make more nodes count: never fewer."""

    def __init__(self, text: _Text, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.text = text
        found: set[int] = set()
        for name in self.names:
            found |= text.lines_naming(name)
        self.lines = sorted(found)
        # Where each occurrence starts, as an offset into `text.joined` (ASCII text only:
        # elsewhere the tree counts columns in UTF-8 bytes and identifiers are normalised).
        self.offsets: list[int] | None = None
        if text.ascii:
            self.offsets = sorted(at for name in self.names for at in text.offsets_of(name))
        self._covered: dict[ast.AST, bool] = {}

    def covers(self, node: ast.AST) -> bool:
        """Whether one of the lines of `node` (decorators included) names an identifier."""
        # Each statement is asked about by every walk of its scope (profiled).
        known = self._covered.get(node)
        if known is None:
            known = self._covered[node] = self._names_a_line(node)
        return known

    def _names_a_line(self, node: ast.AST) -> bool:
        start: int = getattr(node, "lineno", 0)
        for decorator in getattr(node, "decorator_list", ()):
            start = min(start, decorator.lineno)
        end: int = getattr(node, "end_lineno", None) or start
        lines = self.lines
        index = bisect.bisect_left(lines, start)
        return index < len(lines) and lines[index] <= end


class _Text:
    """The source's lines as the tree numbers them, and the lines that name each word."""

    def __init__(self, source: str) -> None:
        if "\r" in source:
            self.lines = _LINE_BREAK.split(source)
            self.joined = "\n".join(self.lines)
        else:  # the same, several times faster (profiled)
            self.lines, self.joined = source.split("\n"), source
        self.ascii = self.joined.isascii()
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in self.lines)]
        self.starts.pop()
        self._naming: dict[str, frozenset[int]] = {}
        self._offsets: dict[str, list[int]] = {}

    def offsets_of(self, name: str) -> list[int]:
        """Where `name` stands as a whole word, as offsets into `joined` (ASCII text)."""
        self.lines_naming(name)
        return self._offsets.get(name, [])

    def lines_naming(self, name: str) -> frozenset[int]:
        """The (1-based) numbers of the lines where `name` stands as a whole word."""
        known = self._naming.get(name)
        if known is not None:
            return known
        found: set[int] = set()
        if self.ascii:
            # `str.find` and a look at each side: a regular expression with `\b` tried
            # every position of the text, several times slower (profiled).
            text, size, at = self.joined, len(name), self.joined.find(name)
            length, starts, word = len(text), self.starts, _ASCII_WORD
            offsets = self._offsets[name] = []
            while at >= 0:
                after = at + size
                if (at == 0 or text[at - 1] not in word) and (
                    after >= length or text[after] not in word
                ):
                    found.add(bisect.bisect_right(starts, at))
                    offsets.append(at)
                at = text.find(name, after)
        else:
            pattern = re.compile(r"\b" + re.escape(name) + r"\b")
            found = {
                number
                for number, line in enumerate(self.lines, 1)
                if pattern.search(unicodedata.normalize("NFKC", line))
            }
        known = self._naming[name] = frozenset(found)
        return known


def converged_inference(
    tree: ast.Module, source: str, extra: Callable[[_Inference], set[str]] | None = None
) -> _Inference:
    """An inference that skips the statements naming nothing it follows, with its scopes
    and the variables holding the inputs found (`propagate`).

    The identifiers followed start as `inputs`, `stdin` and `json`; whatever the propagation (and
    `extra`) finds to follow joins them and the inference starts again, until it finds no
    new one: then every statement that could change the answer was read, and the answer
    is the one a walk of the whole tree gives (profiled: skipping the rest makes it several
    times faster on a long script that reads its inputs in a few places)."""
    text = _Text(source)
    names = {"inputs", "stdin", "json"}  # `json`: where its imports are
    # A guess, to save a round: the names bound on the lines that name the inputs. Guessing
    # more than is followed only reads more statements; the rounds make the answer.
    for number in sorted(text.lines_naming("inputs") | text.lines_naming("stdin")):
        bound = _BOUND.match(text.lines[number - 1])
        if bound:
            names.add(bound.group(1))
    functions = definitions(tree, text.lines_naming("def"))
    while True:
        inference = _Inference(tree, source, Relevant(text, names), functions)
        inference.propagate()
        found = inference.followed_names()
        if extra is not None:
            found |= extra(inference)
        if found <= names:
            return inference
        names |= found


@dataclass
class _Scope:
    node: ast.AST
    parent: _Scope | None
    params: list[str] = field(default_factory=list)
    locals: set[str] = field(default_factory=set)
    inputs: set[str] = field(default_factory=set)
    stdin_text: set[str] = field(default_factory=set)


@dataclass
class _Read:
    name: str
    required: bool
    literal: ast.Constant
    default: ast.expr | None = None
    has_default: bool = False
    placeholder: Any = ""


def _own_nodes(
    node: ast.AST,
    relevant: Relevant | None = None,
    children: dict[ast.AST, list[ast.AST]] | None = None,
) -> list[ast.AST]:
    """The nodes of a scope's body, not descending into nested functions or classes, nor
    into the nodes `relevant` leaves out (nor giving them). Each node given, and each node
    of a nested function's decorators and of a nested class that `relevant` keeps, is a key
    of `children`, with the children kept (see `_Inference.skipped`), for the walks that
    follow to read them again."""
    if children is None:
        children = {}
    if relevant is not None and relevant.offsets is not None:
        return _exactly_own_nodes(node, relevant, relevant.offsets, children)
    kept: list[ast.AST] = []
    stack = _children(node)
    while stack:
        child = stack.pop()
        kind = type(child)
        if relevant is not None and isinstance(child, ast.stmt) and not relevant.covers(child):
            continue
        kept.append(child)
        if kind in _LEAVES:
            children[child] = []
        elif kind not in _SCOPES:
            found = children[child] = _children(child)
            stack.extend(found)
        else:
            _keep_nested(child, relevant, children)
    return kept


def _exactly_own_nodes(
    node: ast.AST, relevant: Relevant, offsets: list[int], children: dict[ast.AST, list[ast.AST]]
) -> list[ast.AST]:
    """`_own_nodes` on ASCII text: each node with a position is asked by its exact range
    (`offsets`: where the names occur). Its own loop, and the most common cases first: it
    is the walk that reads the most nodes (profiled)."""
    starts, covers, names = relevant.text.starts, relevant.covers, relevant.names
    last = offsets[-1] if offsets else -1
    first_at_or_after = bisect.bisect_left
    kept: list[ast.AST] = []
    stack = _children(node)
    while stack:
        child: Any = stack.pop()
        kind = type(child)
        if kind is ast.Name:
            # A name's range is the identifier, a whole word: it holds an occurrence of
            # one of the names only when it is one (a third of the nodes tested).
            if child.id in names:
                kept.append(child)
                children[child] = []
            continue
        # Those without a position (`arguments`, `withitem`, `comprehension`...) are
        # kept: their parts are asked.
        if kind in _UNPLACED or child.end_lineno is None:
            pass
        elif kind in _DECORATED and child.decorator_list:
            if not covers(child):
                continue
        else:
            start = starts[child.lineno - 1] + child.col_offset
            if start > last:
                continue
            at = offsets[first_at_or_after(offsets, start)]
            if at >= starts[child.end_lineno - 1] + child.end_col_offset:
                continue
        kept.append(child)
        if kind in _LEAVES:
            children[child] = []
        elif kind in _SCOPES:
            _keep_nested(child, relevant, children)
        elif kind is ast.JoinedStr:
            # The positions of an f-string's parts are unreliable before Python 3.12:
            # the string is kept or left out whole.
            children[child] = _children(child)
            kept.extend(_own_nodes(child, None, children))
        else:
            shape = _SHAPES.get(kind)
            found = children[child] = _children(child) if shape is None else shape(child)
            stack.extend(found)
    return kept


def _node_types(kind: type[ast.AST] = ast.AST) -> Iterator[type[ast.AST]]:
    for sub in kind.__subclasses__():
        yield sub
        yield from _node_types(sub)


# The nodes without a position in the source, and those without children.
_UNPLACED = frozenset(kind for kind in _node_types() if "lineno" not in kind._attributes)
_LEAVES = frozenset({ast.Name, ast.Constant})
# Nodes whose bodies are scopes of their own (or, for a class, read by `_collect` apart).
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
_DECORATED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def _keep_nested(
    node: ast.AST, relevant: Relevant | None, children: dict[ast.AST, list[ast.AST]]
) -> None:
    """Put in `children` the parts of a nested function or class that the scope's visitors
    read: a function's decorators, a class's every node but its functions' bodies."""
    if isinstance(node, ast.ClassDef):
        parts, walked = _children(node), _own_nodes(node, relevant, children)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
        parts = list[ast.AST](node.decorator_list)
        walked = _own_nodes(_Parts(parts), relevant, children)
    else:
        children[node] = []
        return
    kept = set(walked)
    children[node] = [part for part in parts if part in kept]


class _Parts(ast.AST):
    """A node whose only children are the given ones (for `_own_nodes` to start from)."""

    _fields = ("parts",)

    def __init__(self, parts: list[ast.AST]) -> None:
        super().__init__()
        self.parts = parts


def _children(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes` as a list, in the same order (profiled: a third faster), but
    for the contexts and operators, which say nothing the inference reads by walking."""
    kind = type(node)
    shape = _SHAPES.get(kind)
    if shape is not None:
        return shape(node)
    found: list[ast.AST] = []
    fields = _WALKED.get(kind)
    if fields is None:
        fields = _WALKED[kind] = tuple(
            (name, (kind, name) in _MIXED)
            for name in node._fields
            if name not in ("ctx", "op", "ops")
        )
    for name, mixed in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            if mixed:
                found.extend(item for item in value if isinstance(item, ast.AST))
            else:
                found.extend(value)
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


_WALKED: dict[type[ast.AST], tuple[tuple[str, bool], ...]] = {}


# The children of the nodes most walked, field by field in `_fields` order (those that a
# parsed tree always fills), without the loop over the fields (profiled: a third of the
# walk's time). A test compares them with `ast.iter_child_nodes`.
def _given(*nodes: ast.AST | None) -> list[ast.AST]:
    return [node for node in nodes if node is not None]


def _arguments(node: ast.arguments) -> list[ast.AST]:
    return [
        *node.posonlyargs,
        *node.args,
        *_given(node.vararg),
        *node.kwonlyargs,
        *_given(*node.kw_defaults),
        *_given(node.kwarg),
        *node.defaults,
    ]


_SHAPES: dict[type[ast.AST], Callable[[Any], list[ast.AST]]] = {
    ast.arguments: _arguments,
    ast.arg: lambda node: _given(node.annotation),
    ast.withitem: lambda node: _given(node.context_expr, node.optional_vars),
    ast.ExceptHandler: lambda node: [*_given(node.type), *node.body],
    ast.Return: lambda node: _given(node.value),
    ast.Compare: lambda node: [node.left, *node.comparators],
    ast.BinOp: lambda node: [node.left, node.right],
    ast.BoolOp: lambda node: [*node.values],
    ast.UnaryOp: lambda node: [node.operand],
    ast.For: lambda node: [node.target, node.iter, *node.body, *node.orelse],
    ast.comprehension: lambda node: [node.target, node.iter, *node.ifs],
    ast.ListComp: lambda node: [node.elt, *node.generators],
    ast.GeneratorExp: lambda node: [node.elt, *node.generators],
    ast.AugAssign: lambda node: [node.target, node.value],
    ast.IfExp: lambda node: [node.test, node.body, node.orelse],
    ast.JoinedStr: lambda node: [*node.values],
    ast.FormattedValue: lambda node: _given(node.value, node.format_spec),
    ast.Name: lambda node: [],
    ast.Constant: lambda node: [],
    ast.Call: lambda node: [node.func, *node.args, *node.keywords],
    ast.Attribute: lambda node: [node.value],
    ast.Subscript: lambda node: [node.value, node.slice],
    ast.keyword: lambda node: [node.value],
    ast.Assign: lambda node: [*node.targets, node.value],
    ast.Expr: lambda node: [node.value],
    ast.If: lambda node: [node.test, *node.body, *node.orelse],
    ast.Try: lambda node: [*node.body, *node.handlers, *node.orelse, *node.finalbody],
    ast.With: lambda node: [*node.items, *node.body],
    ast.List: lambda node: [*node.elts],
    ast.Tuple: lambda node: [*node.elts],
}
# The lists of the tree that hold more than nodes (None, names).
_MIXED = frozenset(
    {
        (ast.Dict, "keys"), (ast.arguments, "kw_defaults"), (ast.Global, "names"),
        (ast.Nonlocal, "names"), (ast.MatchClass, "kwd_attrs"),
    }
)  # fmt: skip


Function = ast.FunctionDef | ast.AsyncFunctionDef
# The fields of a statement that hold statements, and of the parts that hold them.
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def definitions(
    tree: ast.Module, lines: Iterable[int] | None = None
) -> list[tuple[Function, Function | None]]:
    """Every function of the tree with the function it is defined in (classes let it
    through), walking statements only. With `lines`, the lines that name `def`: only the
    statements that hold one of them are walked, down to it (every function holds the
    line of its `def`)."""
    if lines is not None:
        return _definitions_on(tree, sorted(lines))
    found: list[tuple[Function, Function | None]] = []
    stack: list[tuple[ast.AST, Function | None]] = [(tree, None)]
    while stack:
        node, owner = stack.pop()
        for name in _BLOCKS:
            for child in getattr(node, name, ()):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.append((child, owner))
                    stack.append((child, child))
                elif not isinstance(child, ast.expr):
                    stack.append((child, owner))
    return found


def _definitions_on(tree: ast.Module, lines: list[int]) -> list[tuple[Function, Function | None]]:
    found: dict[Function, Function | None] = {}
    for line in lines:
        node: ast.AST | None = tree
        owner: Function | None = None
        while node is not None:
            node = _part_at(node, line)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.setdefault(node, owner)
                owner = node
    return list(found.items())


def _part_at(node: ast.AST, line: int) -> ast.AST | None:
    """The statement (or handler, or case) of `node`'s blocks whose lines hold `line`."""
    for name in _BLOCKS:
        block: list[Any] | None = getattr(node, name, None)
        if not block:
            continue
        if name == "cases":
            for case in block:
                if case.pattern.lineno <= line <= case.body[-1].end_lineno:
                    holder: ast.AST = case
                    return holder
            continue
        # A block's statements follow each other: the last one starting at `line` or
        # before is the only one that can hold it.
        index = bisect.bisect_right(block, line, key=_line_of) - 1
        if index >= 0 and line <= (block[index].end_lineno or 0):
            holder = block[index]
            return holder
    return None


def _line_of(node: ast.AST) -> int:
    return getattr(node, "lineno", 0)


# The nodes `_local_names` finds names in (ClassDef aside).
_BINDERS = frozenset(
    {
        ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension,
        ast.With, ast.AsyncWith,
    }
)  # fmt: skip


_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
# The nodes `_collect` reads.
_COLLECTED = _BINDERS | {
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom
}  # fmt: skip


def _local_names(node: ast.AST) -> Iterator[str]:
    """The names a node of a scope's body makes local to it (functions aside)."""
    if isinstance(node, ast.ClassDef):
        yield node.name
    elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            yield from _target_names(target)
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        yield from _target_names(node.target)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield from _target_names(item.optional_vars)


def _target_names(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


class _Inference:
    def __init__(
        self,
        tree: ast.Module,
        source: str,
        relevant: Relevant | None = None,
        functions: list[tuple[Function, Function | None]] | None = None,
    ) -> None:
        self.tree = tree
        self.source = source
        # With `relevant`, only the statements it covers are read (see `converged_inference`),
        # and `functions` are the tree's `definitions`.
        self.relevant = relevant
        self.definitions = functions if functions is not None else []
        self._every_local: dict[ast.AST, set[str]] = {}
        self._stdin_lines: Relevant | None = None
        self.lines = relevant.text.lines if relevant is not None else _LINE_BREAK.split(source)
        self.scopes: dict[ast.AST, _Scope] = {}
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.returns_inputs: set[str] = set()
        self.json_names: set[str] = set()  # aliases of the json module
        self.json_loaders: set[str] = set()  # `from json import load, loads`
        self.sys_names: set[str] = {"sys"}
        self._own: dict[ast.AST, list[ast.AST]] = {}
        # Each node's children, as `own_nodes` found them (profiled: the visitors that
        # walk the scopes again spent a fifth of their time listing them).
        self.children: dict[ast.AST, list[ast.AST]] = {}
        self._movers: dict[ast.AST, list[ast.AST]] = {}
        self._bound: dict[ast.AST, set[str]] = {}
        # The scopes whose movers the next pass reads (`_propagate`).
        self._stale: set[ast.AST] = set()

    # --- scopes ---------------------------------------------------------------------

    def _build_scopes(self) -> None:
        module = _Scope(self.tree, None)
        self.scopes[self.tree] = module
        if self.relevant is None:
            self._collect(self.tree, module)
            return
        # The statements naming nothing followed are not read, but every function is a
        # scope (a call with the inputs may reach it), made in the order the whole walk
        # makes them: depth first, the later of two sibling functions first.
        inner: dict[ast.AST | None, list[Function]] = {}
        for function, owner in self.definitions:
            inner.setdefault(owner, []).append(function)
        pending: list[tuple[Function, _Scope]] = [
            (f, module) for f in sorted(inner.get(None, ()), key=_position)
        ]
        while pending:
            function, parent = pending.pop()
            scope = self._function_scope(function, parent)
            pending.extend((f, scope) for f in sorted(inner.get(function, ()), key=_position))
        for scope in self.scopes.values():
            self._collect(scope.node, scope)

    def _function_scope(self, function: Function, parent: _Scope) -> _Scope:
        parent.locals.add(function.name)
        self.functions.setdefault(function.name, []).append(function)
        inner = _Scope(function, parent)
        arguments = function.args
        inner.params = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
        keyword_only = [a.arg for a in arguments.kwonlyargs]
        inner.locals.update(inner.params, keyword_only)
        if arguments.vararg:
            inner.locals.add(arguments.vararg.arg)
        if arguments.kwarg:
            inner.locals.add(arguments.kwarg.arg)
        if "inputs" in inner.params or "inputs" in keyword_only:
            inner.inputs.add("inputs")
        self.scopes[function] = inner
        return inner

    def _collect(self, node: ast.AST, scope: _Scope) -> None:
        own = self.own_nodes(scope) if node is scope.node else _own_nodes(node, self.relevant)
        for child in own:
            if type(child) not in _COLLECTED:  # the rest bind nothing (profiled)
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if self.relevant is None:
                    self._collect(child, self._function_scope(child, scope))
            elif isinstance(child, ast.ClassDef):
                scope.locals.add(child.name)
                self._collect(child, scope)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name == "json":
                        self.json_names.add(alias.asname or "json")
                    if alias.name == "sys":
                        self.sys_names.add(alias.asname or "sys")
            elif isinstance(child, ast.ImportFrom) and child.module == "json":
                for alias in child.names:
                    if alias.name in ("load", "loads"):
                        self.json_loaders.add(alias.asname or alias.name)
            elif type(child) is ast.Assign and len(child.targets) == 1:  # the most common
                target = child.targets[0]
                if type(target) is ast.Name:
                    scope.locals.add(target.id)
                else:
                    scope.locals.update(_target_names(target))
            elif type(child) in _BINDERS:
                scope.locals.update(_local_names(child))
        if "inputs" in scope.locals:
            scope.inputs.add("inputs")

    def _all_locals(self, scope: _Scope) -> set[str]:
        """The scope's locals, the statements left out included (rarely asked)."""
        if self.relevant is None:
            return scope.locals
        found = self._every_local.get(scope.node)
        if found is None:
            found = self._every_local[scope.node] = set(scope.locals)
            pending = [scope.node]
            while pending:
                for child in _own_nodes(pending.pop()):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        found.add(child.name)
                    elif isinstance(child, ast.ClassDef):
                        pending.append(child)
                    found.update(_local_names(child))
        return found

    def own_nodes(self, scope: _Scope) -> list[ast.AST]:
        """The nodes of the scope's own body, walked once: every pass reads them again."""
        nodes = self._own.get(scope.node)
        if nodes is None:
            nodes = list(_own_nodes(scope.node, self.relevant, self.children))
            self._own[scope.node] = nodes
        return nodes

    def skipped(self, node: ast.AST) -> bool:
        """A node that holds nothing the inference follows (see `Relevant`): one the walk
        of its scope's own nodes left out. The visitors ask it of every node they reach,
        and read the children of the others in `children`, so that every walk reads the
        same nodes."""
        return self.relevant is not None and node not in self.children

    def followed_names(self) -> set[str]:
        """The identifiers whose statements the answer depends on."""
        names = set(self.returns_inputs)
        for scope in self.scopes.values():
            names |= scope.inputs | scope.stdin_text
        return names

    def _scope_of_name(self, scope: _Scope, name: str, attr: str) -> bool:
        current: _Scope | None = scope
        while current is not None:
            if name in getattr(current, attr):
                return True
            if name in current.locals:
                return False
            current = current.parent
        return False

    # --- what holds the inputs ---------------------------------------------------------

    def _mentions_stdin(self, node: ast.AST, scope: _Scope) -> bool:
        if self.relevant is not None:
            # Only an expression whose lines name stdin or a variable holding its text can.
            if self._stdin_lines is None:
                names = {"stdin"}.union(*(s.stdin_text for s in self.scopes.values()))
                self._stdin_lines = Relevant(self.relevant.text, names)
            if not self._stdin_lines.covers(node):
                return False
        for sub in self._kept_walk(node):
            if isinstance(sub, ast.Attribute) and sub.attr == "stdin":
                return True
            if isinstance(sub, ast.Name) and (
                sub.id == "stdin" or self._scope_of_name(scope, sub.id, "stdin_text")
            ):
                return True
        return False

    def _kept_walk(self, node: ast.AST) -> Iterable[ast.AST]:
        """`ast.walk(node)`, but for the nodes the walk of the scopes left out, which name
        nothing followed (profiled: walking them was half of the propagation's time)."""
        children = self.children
        if self.relevant is None or (node not in children and self.relevant.offsets is None):
            return ast.walk(node)
        found: list[ast.AST] = []
        pending = [node] if node in children else []
        while pending:
            sub = pending.pop()
            if type(sub) is ast.Lambda:
                found.extend(ast.walk(sub))  # not walked with its scope
            else:
                found.append(sub)
                pending.extend(children.get(sub, ()))
        return found

    def _is_json_call(self, node: ast.Call) -> bool:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("load", "loads"):
            return isinstance(func.value, ast.Name) and func.value.id in self.json_names
        return isinstance(func, ast.Name) and func.id in self.json_loaders

    def _is_inputs(self, node: ast.AST | None, scope: _Scope) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Name):
            return self._scope_of_name(scope, node.id, "inputs")
        if isinstance(node, ast.IfExp):
            return self._is_inputs(node.body, scope) or self._is_inputs(node.orelse, scope)
        if isinstance(node, ast.BoolOp):
            return any(self._is_inputs(value, scope) for value in node.values)
        if isinstance(node, ast.NamedExpr):
            return self._is_inputs(node.value, scope)
        if isinstance(node, ast.Call):
            if self._is_json_call(node):
                return any(self._mentions_stdin(arg, scope) for arg in node.args)
            func = node.func
            if isinstance(func, ast.Name):
                if func.id in self.returns_inputs:
                    return True
                if func.id == "dict" and node.args:
                    return self._is_inputs(node.args[0], scope)
        return False

    def _propagate(self) -> bool:
        """One pass over the movers, but for those of the scopes nothing they read has
        changed in since they were last read: they would change nothing (profiled: on a
        long script, the pass that finds nothing new read every scope again)."""
        changed = False
        stale = self._stale
        for scope in self.scopes.values():
            if scope.node not in stale:
                continue
            stale.discard(scope.node)
            for node in self._moving(scope):
                changed |= self._propagate_node(node, scope)
        return changed

    def _changed(self, scope: _Scope | None, names: Iterable[str]) -> None:
        """`names` changed in `scope` (None: joined the functions that return the inputs,
        which any scope may call): the movers of the scope are read again, and those of the
        scopes nested in it (any, for a function) whose lines name one of them. A mover
        reads a name's state only when it holds the name, on one of its scope's lines
        (`Relevant` finds every line that names it). The whole tree's inference (without
        `relevant`) reads every scope again: the tests compare the two."""
        if self.relevant is None:
            self._stale.update(self.scopes)
            return
        if scope is not None:
            self._stale.add(scope.node)
        naming = Relevant(self.relevant.text, names)
        for inner in self.scopes.values():
            if inner.node in self._stale:
                continue
            around: _Scope | None = inner
            while scope is not None and around is not None and around is not scope:
                around = around.parent
            if around is None and scope is not None:
                continue  # not nested in `scope`
            if inner.parent is None or naming.covers(inner.node):
                self._stale.add(inner.node)

    def _moving(self, scope: _Scope) -> list[ast.AST]:
        """The nodes of the scope that can pass the inputs on, for every pass to read."""
        nodes = self._movers.get(scope.node)
        if nodes is None:
            # A call passes the inputs on only to a function of the script (all known
            # once the scopes are built); the own nodes are those `skipped` keeps.
            functions = self.functions
            nodes = self._movers[scope.node] = [
                node
                for node in self.own_nodes(scope)
                if type(node) in _MOVERS
                and (not isinstance(node, ast.Call) or _calls(node, functions))
            ]
        return nodes

    def _propagate_node(self, node: ast.AST, scope: _Scope) -> bool:
        changed = False
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value:
            names = self._bound.get(node)
            if names is None:  # the same at every pass
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = self._bound[node] = {n for t in targets for n in _target_names(t)}
            if self._is_inputs(node.value, scope):
                # Never stdin's text as well: `json.loads(inputs["x"])` would then parse
                # "the inputs", and a JSON string inside them would give top-level keys.
                if not names <= scope.inputs:
                    self._changed(scope, names - scope.inputs)
                    scope.inputs |= names
                    changed = True
            elif self._mentions_stdin(node.value, scope) and not names <= scope.stdin_text:
                self._changed(scope, names - scope.stdin_text)
                scope.stdin_text |= names
                self._stdin_lines = None
                changed = True
        elif isinstance(node, ast.Return) and isinstance(
            scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            name = scope.node.name
            if name not in self.returns_inputs and self._is_inputs(node.value, scope):
                self.returns_inputs.add(name)
                self._changed(None, [name])
                changed = True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            for function in self.functions.get(node.func.id, []):
                changed |= self._pass_into(function, node, scope)
        return changed

    def _pass_into(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, scope: _Scope
    ) -> bool:
        callee = self.scopes[function]
        passed: set[str] = set()
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                break
            if index < len(callee.params) and self._is_inputs(arg, scope):
                passed.add(callee.params[index])
        for keyword in call.keywords:
            if keyword.arg in self._all_locals(callee) and self._is_inputs(keyword.value, scope):
                passed.add(keyword.arg)
        if passed <= callee.inputs:
            return False
        self._changed(callee, passed - callee.inputs)
        callee.inputs |= passed
        return True

    # --- the reads -----------------------------------------------------------------

    def propagate(self) -> None:
        """Find the scopes and the variables that hold the inputs (once)."""
        if self.scopes:
            return
        self._build_scopes()
        self._stale = set(self.scopes)
        for _ in range(_MAX_PASSES):
            if not self._propagate():
                break

    def run(self) -> InputsTemplate:
        self.propagate()
        reads: list[_Read] = []
        # A read is of a variable holding the inputs, or of a call that returns them: a
        # statement whose lines name none of those, nor stdin, holds no read.
        holders = None
        if self.relevant is not None:
            holders = Relevant(self.relevant.text, self.followed_names() | {"stdin"})
        for scope in self.scopes.values():
            _ReadFinder(self, scope, reads, holders).visit_scope()
        return self._merge(reads)

    def _merge(self, reads: list[_Read]) -> InputsTemplate:
        reads.sort(key=lambda r: (r.literal.lineno, r.literal.col_offset))
        by_name: dict[str, dict[str, Any]] = {}
        # The places already listed per key, as a set: a key read on thousands of lines made
        # the list's own membership test quadratic (20 s of analysis per edit on 50,000 lines).
        listed: dict[str, set[Range]] = {}
        for read in reads:
            entry = by_name.setdefault(
                read.name,
                {"name": read.name, "required": False, "reads": [], "placeholder": ""},
            )
            entry["required"] = entry["required"] or read.required
            where = self._range(read.literal)
            places = listed.setdefault(read.name, set())
            if where not in places:
                places.add(where)
                entry["reads"].append(where)
            if read.placeholder != "" and entry["placeholder"] == "":
                entry["placeholder"] = read.placeholder
            if read.has_default and "has_default" not in entry:
                entry["has_default"] = True
                entry.update(self._default(read.default))
        return InputsTemplate(keys=[InputKey(**entry) for entry in by_name.values()])

    def _default(self, node: ast.expr | None) -> dict[str, Any]:
        if node is None:
            return {"default": None}
        try:
            value = literal_value(node)
            if isinstance(value, tuple):
                value = list(value)
            if type(value) not in PLAIN_JSON:
                json.dumps(value, allow_nan=False)
            return {"default": value}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            text = ast.get_source_segment(self.source, node) or ast.unparse(node)
            return {"default": None, "default_text": text}

    def _range(self, node: ast.Constant) -> Range:
        end_line = node.end_lineno if node.end_lineno is not None else node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Range.of(
            node.lineno - 1,
            self._column(node.lineno - 1, node.col_offset),
            end_line - 1,
            self._column(end_line - 1, end_col),
        )

    def _column(self, line: int, byte_offset: int) -> int:
        """ast counts columns in UTF-8 bytes; findings count code points."""
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "ignore"))


# The literal values that are JSON as they are: the others are tried with `json.dumps`
# (profiled: a fifth of the time to merge the reads), which also refuses an integer
# too long to write.
PLAIN_JSON = frozenset({str, bool, type(None)})


def literal_value(node: ast.AST | None) -> Any:
    """`ast.literal_eval` of a node, the same values and errors, without the reference
    cycles its nested functions leave at every call (the analysis, which runs the schema
    inference for SCR107, frees what it makes without the cyclic collector)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(map(literal_value, node.elts))
    if isinstance(node, ast.List):
        return list(map(literal_value, node.elts))
    if isinstance(node, ast.Set):
        return set(map(literal_value, node.elts))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "set"
        and not node.args
        and not node.keywords
    ):
        return set()
    if isinstance(node, ast.Dict):
        if len(node.keys) != len(node.values):
            raise ValueError(f"malformed node or string: {node!r}")
        keys, values = map(literal_value, node.keys), map(literal_value, node.values)
        return dict(zip(keys, values, strict=True))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        left = _signed_number(node.left)
        right = _number(node.right)
        if isinstance(left, (int, float)) and isinstance(right, complex):
            return left + right if isinstance(node.op, ast.Add) else left - right
    return _signed_number(node)


def _number(node: ast.AST | None) -> Any:
    if not isinstance(node, ast.Constant) or type(node.value) not in (int, float, complex):
        raise ValueError(f"malformed node or string: {node!r}")
    return node.value


def _signed_number(node: ast.AST | None) -> Any:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        operand = _number(node.operand)
        return +operand if isinstance(node.op, ast.UAdd) else -operand
    return _number(node)


def _calls(call: ast.Call, functions: Mapping[str, object]) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id in functions


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _constant_key(node: ast.AST) -> ast.Constant | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    return None


class _KeyErrorAware(ast.NodeVisitor):
    """Counts the `try` blocks around the node visited that catch a missing key."""

    catches_key_error: int = 0
    parents: list[ast.AST]
    pruned: bool = False  # only the nodes in `known_children` are visited
    known_children: Mapping[ast.AST, list[ast.AST]] = MappingProxyType({})
    _visitors: ClassVar[dict[type[ast.AST], Callable[[Any, Any], Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visitors = {}

    def visit(self, node: ast.AST) -> Any:
        return self._visitor(type(node))(self, node)

    def _visitor(self, kind: type[ast.AST]) -> Callable[[Any, Any], Any]:
        # `NodeVisitor.visit`, with each node type's visitor looked up once per class,
        # not built from its name at every node (profiled: a tenth of the walks' time).
        visitor = self._visitors.get(kind)
        if visitor is None:
            found = getattr(type(self), "visit_" + kind.__name__, None)
            visitor = self._visitors[kind] = found or type(self).generic_visit
        return visitor

    def _enter(self, node: ast.AST, kind: type[ast.AST], known: list[ast.AST]) -> None:
        """Visit `node` (of type `kind`, with the children `known`) among the `parents`."""
        self.parents.append(node)
        self._arrive(node, kind)
        visitor = self._visitors.get(kind) or self._visitor(kind)
        if visitor is _KeyErrorAware.generic_visit:
            self._visit_block(known)  # the generic visit, with a call less (profiled)
        else:
            visitor(self, node)
        self.parents.pop()  # (an error ends the walk)

    def _arrive(self, node: ast.AST, kind: type[ast.AST]) -> None:
        """What a visitor does at every node, its parents known."""

    def generic_visit(self, node: ast.AST) -> None:
        # `NodeVisitor.generic_visit`'s order, a third faster (profiled).
        known = self.known_children.get(node)
        self._visit_block(_children(node) if known is None else known)

    def visit_Constant(self, node: ast.Constant) -> None:
        """No children: `NodeVisitor.visit_Constant` only looks for the visitors of the
        node types older Pythons had (profiled: 3% of the schema's time)."""

    def visit_Try(self, node: ast.Try) -> None:
        catches = any(_catches_key_error(handler.type) for handler in node.handlers)
        self.catches_key_error += catches
        self._visit_block(node.body)
        self.catches_key_error -= catches
        self._visit_block((*node.handlers, *node.orelse, *node.finalbody))

    def _visit_block(self, statements: Iterable[ast.AST]) -> None:
        """Visit each of `statements` (or of a node's children), passing over those the
        walk of the scope left out without a call (profiled: half of the visits were
        theirs)."""
        if self.pruned:
            known = self.known_children
            for statement in statements:
                if statement in known:
                    self.visit(statement)
        else:
            for statement in statements:
                self.visit(statement)

    visit_TryStar = visit_Try


class _ReadFinder(_KeyErrorAware):
    """Finds the key reads of one scope, knowing which keys the code around has checked."""

    def __init__(
        self,
        inference: _Inference,
        scope: _Scope,
        reads: list[_Read],
        holders: Relevant | None = None,
    ) -> None:
        self.inference = inference
        self.known_children = inference.children
        self.pruned = inference.relevant is not None
        self.holders = holders
        self.scope = scope
        self.reads = reads
        self.guarded: list[set[str]] = []
        self.catches_key_error = 0
        self.parents: list[ast.AST] = []

    def visit_scope(self) -> None:
        node = self.scope.node
        body = (
            node.body
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef))
            else []
        )
        self._visit_block(body)

    def visit(self, node: ast.AST) -> Any:
        known = self.known_children.get(node)
        if known is None:
            if self.pruned:  # `_Inference.skipped`
                return None
            known = _children(node)
        kind = type(node)
        if kind in _FUNCTIONS:
            if kind is not ast.Lambda:
                for decorator in node.decorator_list:  # type: ignore[attr-defined]
                    self.visit(decorator)
            return None
        if (
            self.holders is not None
            and isinstance(node, ast.stmt)
            and not self.holders.covers(node)
        ):
            return None
        self._enter(node, kind, known)
        return None

    def _is_inputs(self, node: ast.AST) -> bool:
        return self.inference._is_inputs(node, self.scope)

    def _is_guarded(self, key: str) -> bool:
        return self.catches_key_error > 0 or any(key in keys for keys in self.guarded)

    def _tested_keys(self, test: ast.AST) -> tuple[set[str], set[str]]:
        """Keys `test` checks with `in` (true when present) and with `not in`."""
        present: set[str] = set()
        absent: set[str] = set()
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            for value in test.values:
                more, _ = self._tested_keys(value)
                present |= more
        elif isinstance(test, ast.Compare) and len(test.ops) == 1:
            key = _constant_key(test.left)
            if key is not None and self._is_inputs(test.comparators[0]):
                if isinstance(test.ops[0], ast.In):
                    present.add(str(key.value))
                elif isinstance(test.ops[0], ast.NotIn):
                    absent.add(str(key.value))
        return present, absent

    def _visit_branches(
        self, test: ast.AST, body: list[ast.AST] | ast.AST, orelse: list[ast.AST] | ast.AST
    ) -> None:
        self.visit(test)
        present, absent = self._tested_keys(test)
        for branch, keys in ((body, present), (orelse, absent)):
            self.guarded.append(keys)
            self._visit_block(branch if isinstance(branch, list) else [branch])
            self.guarded.pop()

    def visit_If(self, node: ast.If) -> None:
        self._visit_branches(node.test, list(node.body), list(node.orelse))
        # `if "x" not in inputs: <fail>` makes "x" required for everything after it.
        _, absent = self._tested_keys(node.test)
        if absent and node.body and _leaves(node.body[-1]):
            for compare in ast.walk(node.test):
                if isinstance(compare, ast.Compare):
                    key = _constant_key(compare.left)
                    if key is not None and str(key.value) in absent:
                        self._add(key, required=True, value=compare)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._visit_branches(node.test, node.body, node.orelse)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = _constant_key(node.slice)
        if key is not None and isinstance(node.ctx, ast.Load) and self._is_inputs(node.value):
            self._add(key, required=not self._is_guarded(str(key.value)), value=node)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        key = _constant_key(node.left)
        if (
            key is not None
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and self._is_inputs(node.comparators[0])
        ):
            self._add(key, required=False, value=node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("get", "setdefault", "pop")
            and node.args
            and self._is_inputs(func.value)
        ):
            key = _constant_key(node.args[0])
            if key is not None:
                has_default = len(node.args) > 1 or func.attr != "pop"
                default = node.args[1] if len(node.args) > 1 else None
                self._add(
                    key,
                    required=not has_default and not self._is_guarded(str(key.value)),
                    value=node,
                    default=default,
                    has_default=has_default,
                )
        self.generic_visit(node)

    def _add(
        self,
        key: ast.Constant,
        *,
        required: bool,
        value: ast.AST,
        default: ast.expr | None = None,
        has_default: bool = False,
    ) -> None:
        self.reads.append(
            _Read(
                name=str(key.value),
                required=required,
                literal=key,
                default=default,
                has_default=has_default,
                placeholder=self._placeholder(value),
            )
        )

    def _placeholder(self, value: ast.AST) -> Any:
        """A template value of the type the code around `value` expects."""
        parent = self.parents[-2] if len(self.parents) >= 2 else None
        if isinstance(parent, ast.Call) and value in parent.args:
            func = parent.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in _PLACEHOLDER_BY_CALL:
                return _PLACEHOLDER_BY_CALL[name]
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is value:
            return []
        return ""


def _leaves(statement: ast.stmt) -> bool:
    """True for a statement that ends the path: raise, return, sys.exit(), exit()."""
    if isinstance(statement, (ast.Raise, ast.Return)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in ("exit", "_exit", "quit")
    return False


def _catches_key_error(handler_type: ast.expr | None) -> bool:
    # Only a handler for the missing key itself: a broad `except Exception` around the
    # whole script is the contract's error wrapper, not a sign that the key is optional.
    if handler_type is None:
        return False
    names = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    for name in names:
        ident = name.id if isinstance(name, ast.Name) else getattr(name, "attr", "")
        if ident in ("KeyError", "LookupError"):
            return True
    return False
