"""What the script does, as the rules ask it: stdin reads, JSON writes, exits, input data flow.

Computed lazily from the `ScriptModel` and cached, so a rule pays only for the facts it reads
and two rules never compute the same fact twice.
"""

from __future__ import annotations

import ast
import bisect
import json
from collections.abc import Callable
from enum import Enum
from functools import cached_property
from typing import Any, Generic, NamedTuple, TypeVar

from scriptcontract.contract import names as N
from scriptcontract.contract.delegation import (
    Handover,
    Reference,
    delegates,
    references,
    run_path,
    streams_passed,
)
from scriptcontract.contract.flow import block_terminates, later_statements, terminates
from scriptcontract.contract.model import (
    FUNCTION_TYPES,
    LOOP_TYPES,
    Assignment,
    CallSite,
    FunctionInfo,
    Parent,
    ScriptModel,
    Site,
    dotted_parts,
)
from scriptcontract.contract.project_modules import ModuleFacts, ProjectModules
from scriptcontract.contract.streams import alias_candidates, is_stdout

MAX_FLOW_DEPTH = 60
# Calls whose result is plain text, never a JSON document.
TEXT_CALLS = frozenset(
    {
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.format_stack",
    }
)
DECLARATIONS = (ast.Pass, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
MAX_CALL_DEPTH = 40


class WriteKind(str, Enum):
    JSON = "json"  # certainly a JSON document
    TEXT = "text"  # certainly not JSON (a message, an f-string)
    REPR = "repr"  # a dict printed with print(): Python's repr, not JSON
    UNKNOWN = "unknown"  # may or may not be JSON


class Write(NamedTuple):
    """A write to stdout: a direct one, or a call of a local helper that writes JSON."""

    site: CallSite
    kind: WriteKind
    payload: ast.expr | None
    helper: FunctionInfo | None = None
    alias: bool = False  # through a name bound to stdout (`out = sys.stdout`)


class ExitCall(NamedTuple):
    site: Site  # the call or `raise SystemExit` statement
    arg: ast.expr | None
    code: int | None  # the literal exit code; None when not a literal
    message: bool  # sys.exit("text"): prints to stderr and exits 1


class FunctionSummary:
    """What calling a local function may do, callees included."""

    __slots__ = ("always_exits", "exit_calls", "json_writes", "returns_normally_after_write")

    def __init__(self) -> None:
        self.json_writes: list[Write] = []
        self.exit_calls: list[ExitCall] = []
        self.always_exits = False
        self.returns_normally_after_write: Write | None = None


Scope = FunctionInfo | None


class Facts:
    """Lazily computed facts about one script."""

    def __init__(
        self, model: ScriptModel, modules: ProjectModules | None = None, path: str | None = None
    ) -> None:
        self.model = model
        # The script's project, to follow calls into its own modules; None: not followed.
        self.modules = modules
        self.path = path
        self._summaries: dict[int, FunctionSummary] = {}
        self._in_progress: set[int] = set()
        self._infos: dict[int, _ExprInfo] = {}
        self._blocks: dict[tuple[str, int], list[Any]] = {}
        self._tainted_names: dict[tuple[int, str], bool] = {}
        self._tainted_returns: dict[int, bool] = {}
        # Answers per statement for the walks up the enclosing blocks: without them, every
        # exit in an elif chain walked the whole chain above it (quadratic in its length).
        self._may_write: dict[int, bool] = {}
        self._leaves: dict[int, bool] = {}
        self._functions: dict[int, ast.stmt | None] = {}

    # -- streams ----------------------------------------------------------------------------

    @cached_property
    def stdin_refs(self) -> list[Site]:
        """Every use of sys.stdin, and calls that read stdin another way (input(), fileinput)."""
        model = self.model
        refs = list(model.stream_refs.get(N.STDIN, ()))
        refs.extend(Site(s.node, s.stmt, s.ctx) for s in model.calls_to(*N.OTHER_STDIN_READS))
        for site in model.calls_to("open", "io.open", "os.read", "os.fdopen"):
            first = site.node.args[0] if site.node.args else None
            if isinstance(first, ast.Constant) and first.value in (0, "/dev/stdin"):
                refs.append(Site(site.node, site.stmt, site.ctx))
        return refs

    @cached_property
    def json_parses(self) -> list[CallSite]:
        sites = self.model.calls_to(*N.JSON_PARSE)
        sites.extend(self.model.method_calls(*N.JSON_PARSE_METHODS))
        sites.sort(key=lambda site: (site.node.lineno, site.node.col_offset))
        return sites

    @cached_property
    def stdout_reassigned(self) -> bool:
        """`sys.stdout = ...` anywhere: where output goes is no longer plain to see. Wrapping
        stdout itself (`io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")`) is not."""
        return any(
            a.value is None or not self.is_stdout(a.value, a.ctx.function)
            for a in self.model.attribute_values.get(N.STDOUT, ())
        )

    def is_stdout(self, expr: ast.expr, scope: Scope) -> bool:
        """Whether `expr` is stdout: sys.stdout, its buffer, a wrapper, a name bound to them."""
        return is_stdout(self.model, expr, lambda name: self._stdout_values(name, scope))

    def _stdout_values(self, name: str, scope: Scope) -> list[ast.expr | None]:
        if name not in self._alias_candidates:
            return []
        return self.assigned_values(name, scope)

    @cached_property
    def _alias_candidates(self) -> set[str]:
        return alias_candidates(self.model)

    @cached_property
    def import_time_work(self) -> list[ast.stmt]:
        """Module-level statements that do the script's work (see `entry`)."""
        from scriptcontract.contract.entry import import_time_work

        return import_time_work(self)

    @cached_property
    def has_entry_point(self) -> bool:
        """False for a module that does nothing when run: a helper, a package's __init__."""
        return bool(self.model.main_guards) or bool(self.import_time_work)

    def statement_touches_streams(self, stmt: ast.stmt) -> bool:
        """Whether `stmt` reads stdin, writes stdout or exits (anywhere inside it)."""
        return (
            self._stdin_located.any_within(stmt)
            or self._all_located.any_within(stmt)
            or self._exits_located.any_within(stmt)
        )

    @cached_property
    def _stdin_located(self) -> _Located[Site]:
        return _Located(self.stdin_refs, lambda site: site.stmt)

    @cached_property
    def streams_handed(self) -> list[Handover]:
        """Calls handed `sys.stdin` or `sys.stdout` (see `delegation`)."""
        return streams_passed(self)

    @cached_property
    def project_references(self) -> list[Handover]:
        """Calls, decorators, imports and loaders that may lead into the project's modules."""
        return references(self)

    @cached_property
    def run_path(self) -> set[int]:
        """The functions (by id) that may run when the script runs (see `delegation`)."""
        return run_path(self)

    @cached_property
    def delegated_stdin(self) -> bool:
        """A module of the project, or a call handed `sys.stdin`, reads the inputs."""
        return delegates(self, "reads")

    @cached_property
    def delegated_output(self) -> bool:
        """A module of the project, or a call handed `sys.stdout`, writes to stdout."""
        return delegates(self, "writes")

    @cached_property
    def delegates(self) -> bool:
        """The script's I/O is proven to be done, in part, somewhere else."""
        return self.delegated_stdin or self.delegated_output

    def module_facts(self) -> ModuleFacts:
        """This file summarised as a module of a project, for the scripts that import it."""
        from scriptcontract.contract.module_summary import summarise_module

        return summarise_module(self)

    # -- writes -------------------------------------------------------------------------------

    @cached_property
    def direct_writes(self) -> list[Write]:
        """Writes to stdout made by print(), sys.stdout, json.dump and pprint."""
        model = self.model
        writes: list[Write] = []
        if "print" not in model.aliases and "print" not in model.functions:
            for site in model.calls.get("print", ()):
                write = self._print_write(site)
                if write is not None:
                    writes.append(write)
        for site in model.calls_to(*N.STDOUT_WRITES):
            if not site.node.args or site.node.keywords or self.redirected(site):
                continue
            kind = self.payload_kind(site.node.args[0], site.ctx.function)
            writes.append(Write(site, kind, site.node.args[0]))
        for site in model.calls_to(*N.JSON_DUMP_TO_STREAM):
            stream = _argument(site.node, 1, "fp")
            if stream is not None and model.resolve(stream) == N.STDOUT:
                payload = site.node.args[0] if site.node.args else None
                writes.append(Write(site, WriteKind.JSON, payload))
        for site in model.calls_to(*N.PPRINT_TO_STDOUT):
            if _argument(site.node, 1, "stream") is None and not self.redirected(site):
                payload = site.node.args[0] if site.node.args else None
                writes.append(Write(site, WriteKind.TEXT, payload))
        writes.extend(self._alias_writes())
        writes.sort(key=lambda w: (w.site.node.lineno, w.site.node.col_offset))
        return writes

    def _alias_writes(self) -> list[Write]:
        """Writes through a name bound to stdout (`out = sys.stdout; out.write(...)`,
        `json.dump(result, out)`)."""
        if not self._alias_candidates:
            return []
        writes: list[Write] = []
        for site in self.model.method_calls("write", "writelines"):
            receiver = site.node.func.value  # type: ignore[attr-defined]
            if type(receiver) is not ast.Name or not site.node.args:
                continue
            if self.is_stdout(receiver, site.ctx.function):
                kind = self.payload_kind(site.node.args[0], site.ctx.function)
                writes.append(Write(site, kind, site.node.args[0], alias=True))
        for site in self.model.calls_to(*N.JSON_DUMP_TO_STREAM):
            stream = _argument(site.node, 1, "fp")
            if type(stream) is ast.Name and self.is_stdout(stream, site.ctx.function):
                payload = site.node.args[0] if site.node.args else None
                writes.append(Write(site, WriteKind.JSON, payload, alias=True))
        return writes

    @cached_property
    def document_parts(self) -> set[int]:
        """Ids of the write calls that write one JSON document in parts (see there)."""
        from scriptcontract.contract.document_parts import document_parts

        return document_parts(self.model, self.direct_writes)

    def redirected(self, site: CallSite) -> bool:
        """Inside `redirect_stdout(...)`, or in a function only ever called from inside one."""
        return site.ctx.redirected or self._only_called_redirected(site.ctx.function, 0)

    def _only_called_redirected(self, function: FunctionInfo | None, depth: int) -> bool:
        if function is None or function.is_method or depth > 3:
            return False
        sites = self.model.calls.get(function.name, ())
        return bool(sites) and all(
            s.ctx.redirected or self._only_called_redirected(s.ctx.function, depth + 1)
            for s in sites
        )

    def _print_write(self, site: CallSite) -> Write | None:
        call = site.node
        if self.redirected(site):
            return None
        alias = False
        for keyword in call.keywords:
            if keyword.arg is None:
                return None  # print(..., **options): the stream is not known
            if keyword.arg == "file":
                if not self.is_stdout(keyword.value, site.ctx.function):
                    return None
                alias = type(keyword.value) is ast.Name
        args = call.args
        if not args:
            return None
        if len(args) == 1:
            kind = self.payload_kind(args[0], site.ctx.function)
            return Write(site, kind, args[0], alias=alias)
        kinds = [self.payload_kind(arg, site.ctx.function) for arg in args]
        text = any(k in (WriteKind.TEXT, WriteKind.REPR) for k in kinds)
        return Write(site, WriteKind.TEXT if text else WriteKind.UNKNOWN, args[0], alias=alias)

    def payload_kind(self, expr: ast.expr, scope: Scope, depth: int = 0) -> WriteKind:
        """Whether printing `expr` writes JSON, plain text, a Python repr, or cannot be told."""
        kind = type(expr)
        if kind is ast.Call:
            name = self.model.resolve(expr.func)  # type: ignore[attr-defined]
            if name in N.JSON_DUMPS:
                return WriteKind.JSON
            if name in TEXT_CALLS:
                return WriteKind.TEXT  # print(traceback.format_exc()), print(str(exc))
            if name in N.JSON_PARSE and name != "pandas.read_json" and self._reads_stdin(expr):
                # The inputs: a JSON object by the contract, so print() writes a dict's repr.
                return WriteKind.REPR
            func = expr.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute:
                if func.attr in N.JSON_DUMPS_METHODS:
                    return WriteKind.JSON
                if func.attr in ("decode", "encode") and type(func.value) is ast.Call:
                    return self.payload_kind(func.value, scope, depth)
                if func.attr == "format" and type(func.value) is ast.Constant:
                    return _text_kind(func.value.value)
                if func.attr == "join" and type(func.value) is ast.Constant and expr.args:  # type: ignore[attr-defined]
                    return self._joined_kind(expr.args[0], scope, depth)  # type: ignore[attr-defined]
            local = self.model.local_function(name)
            if local is not None and depth < 3:
                return self._returns_kind(local, depth + 1)
            if local is None and name is not None and self._project_text(name):
                return WriteKind.TEXT  # print(helpers.render(result))
            return WriteKind.UNKNOWN
        if kind is ast.Constant:
            value = expr.value  # type: ignore[attr-defined]
            if isinstance(value, str):
                return _text_kind(value)
            if value is None or isinstance(value, bool):
                return WriteKind.TEXT
            return WriteKind.UNKNOWN
        if kind is ast.JoinedStr:
            values = expr.values  # type: ignore[attr-defined]
            if values and type(values[0]) is ast.Constant:
                return _text_kind(values[0].value)
            return WriteKind.UNKNOWN
        if kind is ast.BinOp:
            left = expr.left  # type: ignore[attr-defined]
            if type(left) is ast.Constant and isinstance(left.value, str):
                return _text_kind(left.value)
            if type(left) is ast.JoinedStr:
                return self.payload_kind(left, scope, depth)
            if type(left) is ast.BinOp and type(expr.op) is ast.Add:  # type: ignore[attr-defined]
                # "ERROR " + str(code) + ": " + reason: what the first of the sum is
                first: ast.expr = left
                while type(first) is ast.BinOp and type(first.op) is ast.Add:
                    first = first.left
                if type(first) is ast.Constant and isinstance(first.value, str):
                    return _text_kind(first.value)
                if type(first) is ast.JoinedStr:
                    return self.payload_kind(first, scope, depth)
            right = expr.right  # type: ignore[attr-defined]
            if (
                type(expr.op) is ast.Add  # type: ignore[attr-defined]
                and type(right) is ast.Constant
                and isinstance(right.value, (str, bytes))
                and not right.value.strip()
                and self.payload_kind(left, scope, depth + 1) is WriteKind.JSON
            ):
                return WriteKind.JSON  # json.dumps(result) + "\n", ....encode() + b"\n"
            return WriteKind.UNKNOWN
        if kind is ast.Dict:
            return WriteKind.REPR if expr.keys else WriteKind.UNKNOWN  # type: ignore[attr-defined]
        if kind is ast.IfExp and depth < 3:
            # print("enabled" if on else "disabled"): what both branches are
            body = self.payload_kind(expr.body, scope, depth + 1)  # type: ignore[attr-defined]
            orelse = self.payload_kind(expr.orelse, scope, depth + 1)  # type: ignore[attr-defined]
            return body if body is orelse else WriteKind.UNKNOWN
        if kind is ast.Name and self._is_caught_exception(expr.id, scope):  # type: ignore[attr-defined]
            return WriteKind.TEXT  # except ValueError as exc: print(exc)
        if kind is ast.Name and self._names_a_module(expr.id, scope):  # type: ignore[attr-defined]
            return WriteKind.TEXT  # print(json): "<module 'json' from ...>"
        if kind is ast.Name and depth < 3:
            values = self.assigned_values(expr.id, scope)  # type: ignore[attr-defined]
            if not values or any(v is None for v in values):
                return WriteKind.UNKNOWN
            kinds = {self.payload_kind(v, scope, depth + 1) for v in values if v is not None}
            return kinds.pop() if len(kinds) == 1 else WriteKind.UNKNOWN
        return WriteKind.UNKNOWN

    def _names_a_module(self, name: str, scope: Scope) -> bool:
        """`name` is bound only by `import name` (or `import x as name`): a module object."""
        if name in self.model.assignments or name in self.model.functions:
            return False
        if scope is not None and name in scope.params:
            return False
        found = False
        for site in self.model.imports:
            stmt = site.node
            if isinstance(stmt, ast.ImportFrom):
                if any((alias.asname or alias.name) == name for alias in stmt.names):
                    return False
                continue
            for alias in stmt.names:  # type: ignore[attr-defined]
                if (alias.asname or alias.name.split(".", 1)[0]) == name:
                    found = True
        return found

    def _reads_stdin(self, call: ast.expr) -> bool:
        """`json.load(sys.stdin)`, `json.loads(sys.stdin.read() or "{}")`."""
        if type(call) is not ast.Call or not call.args:
            return False
        arg = call.args[0]
        if type(arg) is ast.BoolOp and arg.values:
            arg = arg.values[0]
        if type(arg) is ast.Call and type(arg.func) is ast.Attribute:
            arg = arg.func.value
        return self.model.resolve(arg) in (N.STDIN, N.STDIN + ".buffer")

    def _joined_kind(self, items: ast.expr, scope: Scope, depth: int) -> WriteKind:
        """`"\\n".join(f"{k}: {v}" for ...)`: text when each item is text (JSON documents
        joined are JSON Lines, not text)."""
        kind = type(items)
        if kind in (ast.ListComp, ast.GeneratorExp, ast.SetComp):
            elements = [items.elt]  # type: ignore[attr-defined]
        elif kind in (ast.List, ast.Tuple):
            elements = items.elts  # type: ignore[attr-defined]
        elif kind is ast.Name:
            found = self._items_of_list(items.id, scope)  # type: ignore[attr-defined]
            if found is None:
                return WriteKind.UNKNOWN
            elements = found
        else:
            return WriteKind.UNKNOWN
        if depth >= 3 or not elements:
            return WriteKind.UNKNOWN
        kinds = {self.payload_kind(e, scope, depth + 1) for e in elements}
        return WriteKind.TEXT if kinds == {WriteKind.TEXT} else WriteKind.UNKNOWN

    def _items_of_list(self, name: str, scope: Scope) -> list[ast.expr] | None:
        """Every item that may be in the list `name` of `scope` (`messages = []` and
        `messages.append(f"...")`), when the name is only bound to list literals there and
        only appended to, joined, counted or tested: handed to any other call, it may hold
        anything."""
        found = self.scoped_assignments(name, scope)
        if not found or any(a.ctx.function is not scope for a in found):
            return None
        items: list[ast.expr] = []
        for assignment in found:
            if type(assignment.value) is not ast.List:
                return None
            items.extend(assignment.value.elts)
        node: ast.AST = self.model.tree if scope is None else scope.node
        seen: set[int] = set()  # the uses of the name that keep it a list of those items
        for sub in ast.walk(node):
            if type(sub) in (ast.If, ast.While) and type(sub.test) is ast.Name:  # type: ignore[attr-defined]
                seen.add(id(sub.test))  # type: ignore[attr-defined]
            if type(sub) is not ast.Call:
                continue
            func, args = sub.func, sub.args
            if (
                type(func) is ast.Attribute
                and type(func.value) is ast.Name
                and func.value.id == name
                and func.attr in ("append", "insert")
                and args
            ):
                items.append(args[-1])
                seen.add(id(func.value))
            joins = type(func) is ast.Attribute and func.attr == "join"
            counts = type(func) is ast.Name and func.id == "len"
            if (joins or counts) and len(args) == 1 and type(args[0]) is ast.Name:
                seen.add(id(args[0]))
        for sub in ast.walk(node):
            if (
                type(sub) is ast.Name
                and sub.id == name
                and type(sub.ctx) is ast.Load
                and id(sub) not in seen
            ):
                return None
        return items or None

    def _project_text(self, name: str) -> bool:
        """`name` is a function of a module of the project that returns plain text."""
        modules = self.modules
        if modules is None:
            return False
        target = modules.resolve(Reference("call", name), self.path)
        return target is not None and modules.returns_text(*target)

    def returns_text(self, function: FunctionInfo) -> bool:
        """Every return of `function` is plain text (see `payload_kind`)."""
        return self._returns_kind(function, 1) is WriteKind.TEXT

    def _is_caught_exception(self, name: str, scope: Scope) -> bool:
        """`name` is only ever bound by `except ... as name` in its scope."""
        bound = [a for a in self.model.assignments.get(name, ()) if a.ctx.function is scope]
        return bool(bound) and all(type(a.node) is ast.ExceptHandler for a in bound)

    def _returns_kind(self, function: FunctionInfo, depth: int) -> WriteKind:
        values = [r.value for r in function.returns]
        if not values or any(v is None for v in values):
            return WriteKind.UNKNOWN
        kinds = {self.payload_kind(v, function, depth) for v in values if v is not None}
        return kinds.pop() if len(kinds) == 1 else WriteKind.UNKNOWN

    def assigned_values(
        self, name: str, scope: Scope, *, augmented: bool = True
    ) -> list[ast.expr | None]:
        """The values bound to `name` in `scope` (or at module level, when not local).

        Without `augmented`, the right-hand sides of `name += ...` are left out: they add to
        the value, they do not replace it.
        """
        found = self.scoped_assignments(name, scope, augmented=augmented)
        return [None] if found is None else [a.value for a in found]

    def scoped_assignments(
        self, name: str, scope: Scope, *, augmented: bool = True
    ) -> list[Assignment] | None:
        """The assignments to `name` in `scope`, or at module level when there are none
        there; None when `name` is a parameter of `scope` (its value is the caller's)."""
        assignments = self.model.assignments.get(name, ())
        if not augmented:
            assignments = [a for a in assignments if type(a.stmt) is not ast.AugAssign]
        local = [a for a in assignments if a.ctx.function is scope]
        if local or scope is None:
            return local
        if name in scope.params:
            return None
        return [a for a in assignments if a.ctx.function is None]

    @cached_property
    def writer_calls(self) -> list[tuple[CallSite, ast.expr, Write]]:
        """Calls of the script's own writers, `def emit(line): sys.stdout.write(line +
        "\n")`: a plain function that writes a parameter as it came. Each is (the call, the
        argument it writes, the write inside the helper)."""
        found: list[tuple[CallSite, ast.expr, Write]] = []
        model = self.model
        for write in self.direct_writes:
            function, payload = write.site.ctx.function, write.payload
            if function is None or function.is_method or write.kind is not WriteKind.UNKNOWN:
                continue
            if (
                type(payload) is ast.BinOp
                and type(payload.op) is ast.Add
                and type(payload.right) is ast.Constant
                and isinstance(payload.right.value, str)
                and not payload.right.value.strip()
            ):
                payload = payload.left  # line + "\n"
            if type(payload) is not ast.Name or payload.id not in function.params:
                continue
            name = payload.id
            if self.assigned_values(name, function) != [None]:
                continue  # the parameter is rebound before it is written
            index = function.params.index(name)
            for site in model.calls.get(function.name, ()):
                if model.local_function(site.name) is not function:
                    continue
                args = site.node.args
                arg = args[index] if index < len(args) else None
                if arg is None:
                    arg = next((k.value for k in site.node.keywords if k.arg == name), None)
                if arg is not None and type(arg) is not ast.Starred:
                    found.append((site, arg, write))
        return found

    @cached_property
    def passed_json_writes(self) -> list[Write]:
        """`emit(json.dumps(row))` through one of the script's own writers: a JSON document
        written at the call."""
        return [
            Write(site, WriteKind.JSON, arg)
            for site, arg, _ in self.writer_calls
            if self.payload_kind(arg, site.ctx.function) is WriteKind.JSON
        ]

    @cached_property
    def helper_writes(self) -> list[Write]:
        """Calls of local functions that write JSON to stdout (directly or further down)."""
        writes: list[Write] = list(self.passed_json_writes)
        for name, function in self.model.functions.items():
            if function.is_method:
                continue
            summary = self.summary(function)
            if not summary.json_writes:
                continue
            for site in self.model.calls.get(name, ()):
                if self.model.local_function(site.name) is function:
                    writes.append(Write(site, WriteKind.JSON, None, function))
        # `job.report(result)`: a method of the script's own classes that writes JSON.
        seen: set[int] = set()
        for function in self.model.all_functions:
            if not function.is_method or not self._writes_by_function.get(id(function)):
                continue
            for site in self.model.methods.get(function.name, ()):
                if id(site.node) not in seen:
                    seen.add(id(site.node))
                    writes.append(Write(site, WriteKind.JSON, None, function))
        return writes

    @cached_property
    def json_writes(self) -> list[Write]:
        direct = [w for w in self.direct_writes if w.kind is WriteKind.JSON]
        return direct + self.helper_writes

    def writes_in(self, node: ast.AST) -> list[Write]:
        """JSON writes (direct or through a helper) whose statement lies inside `node`."""
        return self._json_located.within(node)

    def any_write_in(self, node: ast.AST) -> list[Write]:
        """Writes to stdout of any kind, and JSON writes through helpers, inside `node`."""
        return self._all_located.within(node)

    def exits_in(self, node: ast.AST) -> list[ExitCall]:
        """Exit calls and `raise SystemExit` inside `node`."""
        return self._exits_located.within(node)

    def calls_in(self, stmt: ast.stmt) -> list[CallSite]:
        """The calls to named functions in one statement's own expressions."""
        return self._calls_by_statement.get(id(stmt), [])

    @cached_property
    def _calls_by_statement(self) -> dict[int, list[CallSite]]:
        grouped: dict[int, list[CallSite]] = {}
        for sites in self.model.calls.values():
            for site in sites:
                grouped.setdefault(id(site.stmt), []).append(site)
        return grouped

    @cached_property
    def _json_located(self) -> _Located[Write]:
        return _Located(self.json_writes, lambda w: w.site.stmt)

    @cached_property
    def _all_located(self) -> _Located[Write]:
        return _Located(self.direct_writes + self.helper_writes, lambda w: w.site.stmt)

    @cached_property
    def _may_write_located(self) -> _Located[Write]:
        # Apart from the others: "any such write inside" is then a bisection, not a scan of
        # every write inside (an elif chain has them all inside its first branch).
        writes = [
            w for w in self.direct_writes + self.helper_writes if w.kind is not WriteKind.TEXT
        ]
        return _Located(writes, lambda w: w.site.stmt)

    @cached_property
    def _exits_located(self) -> _Located[ExitCall]:
        return _Located(self.exit_calls, lambda e: e.site.node)

    @cached_property
    def _writes_by_function(self) -> dict[int, list[Write]]:
        grouped: dict[int, list[Write]] = {}
        for write in (*self.direct_writes, *self.passed_json_writes):
            if write.kind is WriteKind.JSON:
                grouped.setdefault(id(write.site.ctx.function), []).append(write)
        return grouped

    @cached_property
    def _exits_by_function(self) -> dict[int, list[ExitCall]]:
        grouped: dict[int, list[ExitCall]] = {}
        for exit_call in self.exit_calls:
            grouped.setdefault(id(exit_call.site.ctx.function), []).append(exit_call)
        return grouped

    # -- per-block prefix and suffix facts (each block computed once) -------------------------

    def may_write_before(self, stmt: ast.stmt) -> bool:
        """A write to stdout that is not plain text (or a helper's JSON) before `stmt`, in its
        block or the enclosing ones, up to its function."""
        return self._up(
            stmt,
            self._may_write,
            lambda parent: self._prefix_may_write(parent.block)[parent.position],
            (*FUNCTION_TYPES, ast.ClassDef),
        )

    def _up(
        self,
        stmt: ast.stmt,
        memo: dict[int, bool],
        found_at: Callable[[Parent], bool],
        boundaries: tuple[type[ast.stmt], ...],
    ) -> bool:
        """Whether `found_at` holds at `stmt`'s place in its block or an enclosing one, up to
        the first enclosing statement of a `boundaries` type (or the module).

        The answer is kept for every statement passed on the way up, so that the statements
        of an elif chain do not each walk the whole chain above them.
        """
        walked: list[ast.stmt] = []
        answer = False
        node, parent = stmt, self.model.parent_of(stmt)
        while parent is not None:
            known = memo.get(id(node))
            if known is not None:
                answer = known
                break
            walked.append(node)
            if found_at(parent):
                answer = True
                break
            owner = parent.stmt
            if owner is None or isinstance(owner, boundaries):
                break
            node, parent = owner, self.model.parent_of(owner)
        for done in walked:
            memo[id(done)] = answer
        return answer

    def function_of(self, stmt: ast.stmt) -> ast.stmt | None:
        """The function definition `stmt` is in (through classes too); None at module level."""
        walked: list[ast.stmt] = []
        found: ast.stmt | None = None
        node, parent = stmt, self.model.parent_of(stmt)
        while parent is not None and parent.stmt is not None:
            if id(node) in self._functions:
                found = self._functions[id(node)]
                break
            walked.append(node)
            if isinstance(parent.stmt, FUNCTION_TYPES):
                found = parent.stmt
                break
            node, parent = parent.stmt, self.model.parent_of(parent.stmt)
        for done in walked:
            self._functions[id(done)] = found
        return found

    def last_json_write_before(self, stmt: ast.stmt) -> Write | None:
        """The nearest JSON write before `stmt` in its block or the enclosing ones, on a path
        that reaches `stmt`: a write followed by `sys.exit(1)`, `return` or `raise` in its
        own branch never does."""
        parent = self.model.parent_of(stmt)
        while parent is not None:
            index = self._prefix_last_write(parent.block)[parent.position]
            if index >= 0:
                container = parent.block[index]
                for write in reversed(self.writes_in(container)):
                    if self._reaches_end(write.site.stmt, container):
                        return write
                return None
            owner = parent.stmt
            if owner is None or isinstance(owner, (*FUNCTION_TYPES, ast.ClassDef)):
                return None
            parent = self.model.parent_of(owner)
        return None

    def _reaches_end(self, stmt: ast.stmt, container: ast.stmt) -> bool:
        """Whether the path through `stmt` can fall out of the end of `container` (which
        holds it): nothing after it in its block, or the enclosing ones, ends the path."""
        if terminates(stmt, self.ends_path, loop=False):
            return False
        current = stmt
        while current is not container:
            parent = self.model.parent_of(current)
            if parent is None:
                return True
            block = parent.block
            for index in range(parent.position + 1, len(block)):
                if terminates(block[index], self.ends_path, loop=False):
                    return False
            if parent.stmt is None:
                return True
            current = parent.stmt
        return True

    def leaves_loop_after(self, stmt: ast.stmt) -> bool:
        """True when a `break`, `return`, `raise` or exit follows `stmt` before its loop's end."""
        return self._up(
            stmt,
            self._leaves,
            lambda parent: self._suffix_leaves(parent.block)[parent.position + 1],
            (*FUNCTION_TYPES, *LOOP_TYPES, ast.ClassDef),
        )

    def only_declarations_after(self, block: list[ast.stmt], position: int) -> bool:
        """True when `block[position + 1:]` holds only definitions and `pass`."""
        cached = self._block_cache("decls", block)
        if cached is None:
            cached = [True] * (len(block) + 1)
            for index in range(len(block) - 1, -1, -1):
                declaration = isinstance(block[index], DECLARATIONS)
                cached[index] = cached[index + 1] and declaration
            self._blocks[("decls", id(block))] = cached
        return bool(cached[position + 1])

    def _block_cache(self, kind: str, block: list[ast.stmt]) -> list[Any] | None:
        return self._blocks.get((kind, id(block)))

    def _prefix_may_write(self, block: list[ast.stmt]) -> list[bool]:
        cached = self._block_cache("may", block)
        if cached is None:
            cached = [False]
            # Only what comes before each statement is asked, never what follows the last: an
            # elif chain's `else` block holds one `if` (the rest of the chain), and asking
            # that of each would walk the chain once per branch.
            for stmt in block[:-1]:
                cached.append(cached[-1] or self._writes_onward(stmt))
            self._blocks[("may", id(block))] = cached
        return cached

    def _writes_onward(self, stmt: ast.stmt) -> bool:
        """Whether `stmt` may have written to stdout by the time the next statement runs.

        A definition runs no body: `def report(): print(...)` above an exit has not written
        anything by the time the exit runs. Nor has a branch of an `if` that ends after its
        write (`if cached: print(json.dumps(cached)); return 0`): the statements after the
        `if` run only on the other branches. Nested `if`s are opened with a stack."""
        located = self._may_write_located
        pending = [stmt]
        while pending:
            current = pending.pop()
            if isinstance(current, DECLARATIONS):
                continue
            if type(current) is not ast.If:
                if located.any_within(current):
                    return True
                continue
            node: ast.If = current
            branches = [node.body]
            while len(node.orelse) == 1 and type(node.orelse[0]) is ast.If:  # elif chains
                node = node.orelse[0]
                branches.append(node.body)
            branches.append(node.orelse)
            for branch in branches:
                if not block_terminates(branch, self.ends_path, loop=False):
                    pending.extend(branch)
        return False

    def _prefix_last_write(self, block: list[ast.stmt]) -> list[int]:
        cached = self._block_cache("last", block)
        if cached is None:
            cached = [-1]
            for index, stmt in enumerate(block):
                cached.append(index if self.writes_in(stmt) else cached[-1])
            self._blocks[("last", id(block))] = cached
        return cached

    def _suffix_leaves(self, block: list[ast.stmt]) -> list[bool]:
        cached = self._block_cache("leaves", block)
        if cached is None:
            cached = [False] * (len(block) + 1)
            for index in range(len(block) - 1, -1, -1):
                stmt = block[index]
                leaves = isinstance(stmt, ast.Break) or terminates(stmt, self.ends_path, loop=False)
                cached[index] = cached[index + 1] or leaves
            self._blocks[("leaves", id(block))] = cached
        return cached

    # -- exits --------------------------------------------------------------------------------

    @cached_property
    def exit_calls(self) -> list[ExitCall]:
        model = self.model
        exits: list[ExitCall] = []
        for name in N.EXITS:
            if name in ("exit", "quit") and (name in model.functions or name in model.aliases):
                continue
            for site in model.calls.get(name, ()):
                arg = _argument(site.node, 0, "status" if name != "os._exit" else "n")
                exits.append(self._exit(Site(site.node, site.stmt, site.ctx), arg))
        for raise_site in model.raises:
            exc = raise_site.node.exc  # type: ignore[attr-defined]
            if isinstance(exc, ast.Call) and model.resolve(exc.func) == "SystemExit":
                arg = exc.args[0] if exc.args else None
                exits.append(self._exit(raise_site, arg))
            elif isinstance(exc, ast.Name) and model.resolve(exc) == "SystemExit":
                exits.append(self._exit(raise_site, None))
        exits.sort(key=lambda e: (e.site.node.lineno, e.site.node.col_offset))  # type: ignore[attr-defined]
        return exits

    @cached_property
    def return_exits(self) -> list[ExitCall]:
        """The returns of a function whose result is the exit code (`sys.exit(main())`,
        `raise SystemExit(main())`): each is an exit with the code it returns."""
        exits: list[ExitCall] = []
        seen: set[int] = set()
        for exit_call in self.exit_calls:
            arg = exit_call.arg
            if not isinstance(arg, ast.Call):
                continue
            function = self.model.local_function(self.model.resolve(arg.func))
            if function is None or id(function) in seen:
                continue
            seen.add(id(function))
            for site in function.return_sites:
                exits.append(self._exit(site, site.node.value))  # type: ignore[attr-defined]
        return exits

    def _exit(self, site: Site, arg: ast.expr | None) -> ExitCall:
        if arg is None:
            return ExitCall(site, arg, 0, False)
        value = self.constant(arg, site.ctx.function)
        if value is None and isinstance(arg, ast.Constant):
            return ExitCall(site, arg, 0, False)
        if isinstance(value, bool):
            return ExitCall(site, arg, int(value), False)
        if isinstance(value, int):
            return ExitCall(site, arg, value, False)
        if isinstance(value, str) or isinstance(arg, ast.JoinedStr) or _formats_text(arg):
            return ExitCall(site, arg, 1, True)
        if isinstance(arg, ast.Name) and self._is_caught_exception(arg.id, site.ctx.function):
            # sys.exit(exc), raise SystemExit(exc): the message goes to stderr, code 1
            return ExitCall(site, arg, 1, True)
        if isinstance(arg, ast.Call) and self.model.resolve(arg.func) == "str":
            return ExitCall(site, arg, 1, True)
        return ExitCall(site, arg, None, False)

    def constant(self, expr: ast.expr, scope: Scope) -> object:
        """The literal value of `expr`, following a name bound exactly once to a literal."""
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
            inner = self.constant(expr.operand, scope)
            return -inner if isinstance(inner, int) and not isinstance(inner, bool) else None
        if isinstance(expr, ast.Name):
            values = self.assigned_values(expr.id, scope)
            if len(values) == 1 and isinstance(values[0], ast.Constant):
                return values[0].value
        return None

    def ends_path(self, call: ast.Call, scope: Scope = None) -> bool:
        """True when a call statement never returns: an exit, or a helper that always exits."""
        name = self.model.resolve(call.func)
        if name in N.EXITS:
            return not (name in ("exit", "quit") and name in self.model.functions)
        local = self.model.local_function(name)
        return local is not None and self.summary(local).always_exits

    # -- local functions ----------------------------------------------------------------------

    def summary(self, function: FunctionInfo) -> FunctionSummary:
        key = id(function)
        cached = self._summaries.get(key)
        if cached is not None:
            return cached
        if key in self._in_progress or len(self._in_progress) >= MAX_CALL_DEPTH:
            # Recursion, or a chain of helpers deeper than anyone writes: nothing is known.
            return FunctionSummary()
        self._in_progress.add(key)
        try:
            summary = self._summarise(function)
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def _summarise(self, function: FunctionInfo) -> FunctionSummary:
        summary = FunctionSummary()
        summary.json_writes = list(self._writes_by_function.get(id(function), ()))
        for site in function.calls:
            local = self.model.local_function(site.name)
            if local is not None and local is not function:
                inner = self.summary(local)
                if inner.json_writes:
                    summary.json_writes.append(Write(site, WriteKind.JSON, None, local))
        summary.exit_calls = list(self._exits_by_function.get(id(function), ()))
        body = function.node.body
        # Never returns to its caller: every path exits or raises (a `fail(msg)` helper).
        summary.always_exits = not function.returns and any(
            terminates(stmt, lambda c: self.ends_path(c), loop=False) for stmt in body
        )
        for write in summary.json_writes:
            if self.falls_through(write.site.stmt):
                summary.returns_normally_after_write = write
                break
        return summary

    def falls_through(self, stmt: ast.stmt) -> bool:
        """True when, after `stmt`, its function can return to the caller without exiting."""
        if terminates(stmt, lambda c: self.ends_path(c), loop=False):
            return False  # `fail(msg)`: the write's own statement never returns
        for later in later_statements(self.model, stmt):
            if isinstance(later, ast.Return):
                return True
            if terminates(later, lambda c: self.ends_path(c), loop=False):
                return False
        return self.function_of(stmt) is not None

    # -- input data flow ----------------------------------------------------------------------

    # Input data flow is asked backwards, on demand: is this expression's data from stdin?
    # Each expression is read once (`_ExprInfo`); answers per (scope, name) are memoised. A
    # cycle (x = y; y = x) answers "no" while it is being followed: unsure means silent.

    def is_input(self, expr: ast.expr, scope: Scope) -> bool:
        """True when `expr` carries data from the script's inputs (stdin)."""
        if not self.stdin_refs:
            return False
        return self._info_tainted(self._info(expr), scope, 0)

    def _info(self, expr: ast.expr) -> _ExprInfo:
        key = id(expr)
        cached = self._infos.get(key)
        if cached is None:
            cached = self._infos[key] = _read_expr(self.model, expr)
        return cached

    def _info_tainted(self, info: _ExprInfo, scope: Scope, depth: int) -> bool:
        if info.direct:
            return True
        if depth > MAX_FLOW_DEPTH:
            return False
        for ident in info.names:
            if self._name_tainted(ident, scope, depth + 1):
                return True
        for dotted in info.attributes:
            if self._attribute_tainted(dotted, depth + 1):
                return True
        for called in info.calls:
            local = self.model.local_function(called)
            if local is not None and self._returns_tainted(local, depth + 1):
                return True
        return False

    def _name_tainted(self, name: str, scope: Scope, depth: int) -> bool:
        if scope is not None and not self._is_local(name, scope):
            scope = None  # a global read inside a function
        key = (id(scope), name)
        known = self._tainted_names.get(key)
        if known is not None:
            return known
        self._tainted_names[key] = False  # in progress
        answer = any(
            value is not None and self._info_tainted(self._info(value), scope, depth)
            for value in self._bound_values(name, scope)
        ) or any(
            a.value is not None and self._info_tainted(self._info(a.value), scope, depth)
            for a in self.model.item_values.get(name, ())
            if a.ctx.function is scope
        )
        if not answer and scope is not None and name in scope.params:
            answer = self._param_tainted(scope, name, depth)
        self._tainted_names[key] = answer
        return answer

    def _attribute_tainted(self, dotted: str, depth: int) -> bool:
        """`job.command` when some `job.command = ...` anywhere stores input data."""
        key = (0, dotted)
        known = self._tainted_names.get(key)
        if known is not None:
            return known
        self._tainted_names[key] = False  # in progress
        answer = any(
            a.value is not None and self._info_tainted(self._info(a.value), a.ctx.function, depth)
            for a in self.model.attribute_values.get(dotted, ())
        )
        self._tainted_names[key] = answer
        return answer

    def _bound_values(self, name: str, scope: Scope) -> list[ast.expr | None]:
        return [a.value for a in self.model.assignments.get(name, ()) if a.ctx.function is scope]

    def _param_tainted(self, function: FunctionInfo, name: str, depth: int) -> bool:
        index = function.params.index(name)
        if function.is_method:
            # `self` is not passed: `Job(inputs)` fills `__init__(self, inputs)`, and
            # `job.run(x)` any method `run(self, x)` of the script.
            index -= 1
            if index < 0:
                return False
            sites = self._method_sites(function)
        else:
            sites = [
                site
                for site in self.model.calls.get(function.name, ())
                if self.model.local_function(site.name) is function
            ]
        for site in sites:
            args = site.node.args
            arg = args[index] if index < len(args) else None
            if arg is None:
                arg = next((k.value for k in site.node.keywords if k.arg == name), None)
            if arg is not None and self._info_tainted(self._info(arg), site.ctx.function, depth):
                return True
        return False

    def _method_sites(self, function: FunctionInfo) -> list[CallSite]:
        if function.name != "__init__":
            return list(self.model.methods.get(function.name, ()))
        parent = self.model.parent_of(function.node)
        owner = parent.stmt if parent is not None else None
        if not isinstance(owner, ast.ClassDef):
            return []
        return list(self.model.calls.get(owner.name, ()))

    def _returns_tainted(self, function: FunctionInfo, depth: int) -> bool:
        key = id(function)
        known = self._tainted_returns.get(key)
        if known is not None:
            return known
        self._tainted_returns[key] = False
        answer = any(
            r.value is not None and self._info_tainted(self._info(r.value), function, depth)
            for r in function.returns
        )
        self._tainted_returns[key] = answer
        return answer

    def _is_local(self, name: str, scope: FunctionInfo) -> bool:
        if name in scope.params:
            return True
        return any(a.ctx.function is scope for a in self.model.assignments.get(name, ()))

    def input_keys(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list[str] | None:
        """The input keys `expr` is read from (`inputs["file"]`, `inputs.get("path")`), or
        None when it is not plainly one key of the inputs."""
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
            if isinstance(expr.slice.value, str) and self.is_input(expr.value, scope):
                return [expr.slice.value]
            return None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            first = expr.args[0] if expr.args else None
            if (
                expr.func.attr == "get"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and self.is_input(expr.func.value, scope)
            ):
                return [first.value]
            return None
        if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
            name = self.model.resolve(expr.func)
            if name in ("str", "pathlib.Path", "os.fspath", "os.path.expanduser"):
                return self.input_keys(expr.args[0], scope, depth)
            return None
        if isinstance(expr, ast.Name) and depth < 3:
            values = self.assigned_values(expr.id, scope)
            if len(values) == 1 and values[0] is not None:
                return self.input_keys(values[0], scope, depth + 1)
        return None


class _ExprInfo(NamedTuple):
    names: frozenset[str]  # plain names read
    calls: frozenset[str]  # plain-name calls (candidates for local functions)
    direct: bool  # reads stdin itself (sys.stdin, input(), a name bound to sys.stdin)
    attributes: frozenset[str]  # dotted attributes read (`job.command`)


def _read_expr(model: ScriptModel, expr: ast.expr) -> _ExprInfo:
    names: set[str] = set()
    calls: set[str] = set()
    attributes: set[str] = set()
    direct = False
    stack: list[ast.AST] = [expr]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            ident = node.id  # type: ignore[attr-defined]
            names.add(ident)
            if model._stream_names.get(ident) == N.STDIN:
                direct = True
            continue
        if kind is ast.Attribute:
            if node.attr == "stdin" and model.resolve(node) == N.STDIN:  # type: ignore[attr-defined, arg-type]
                direct = True
            dotted = model.resolve(node)  # type: ignore[arg-type]
            if dotted is not None and dotted in model.attribute_values:
                attributes.add(dotted)
        elif kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Name:
                calls.add(func.id)
            if model.resolve(func) in N.OTHER_STDIN_READS:
                direct = True
        for value in node.__dict__.values():
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    return _ExprInfo(frozenset(names), frozenset(calls), direct, frozenset(attributes))


def _formats_text(expr: ast.expr) -> bool:
    """`"failed: %s" % error`, `"failed: " + error`: a message, not a code."""
    return (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, (ast.Mod, ast.Add))
        and isinstance(expr.left, ast.Constant)
        and isinstance(expr.left.value, str)
    )


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _text_kind(text: object) -> WriteKind:
    if not isinstance(text, str):
        return WriteKind.UNKNOWN
    stripped = text.lstrip()
    if not stripped:
        return WriteKind.UNKNOWN
    if stripped[0] in "{[":
        try:
            json.loads(text)
        except ValueError:
            return WriteKind.UNKNOWN  # a template such as '{"a": %d}' may well be JSON
        return WriteKind.JSON
    try:
        json.loads(text)
    except ValueError:
        return WriteKind.TEXT
    return WriteKind.UNKNOWN


T = TypeVar("T", Write, ExitCall, Site)


class _Located(Generic[T]):
    """Items ordered by the position of their node, for range queries by bisection."""

    def __init__(self, items: list[T], node_of: Callable[[T], ast.AST]) -> None:
        keyed = sorted(
            ((_start(node_of(item)), n, item) for n, item in enumerate(items)),
            key=lambda entry: (entry[0], entry[1]),
        )
        self.starts: list[tuple[int, int]] = [entry[0] for entry in keyed]
        self.items: list[T] = [entry[2] for entry in keyed]

    def within(self, outer: ast.AST) -> list[T]:
        """The items whose node starts inside `outer`'s extent."""
        low = bisect.bisect_left(self.starts, _start(outer))
        high = bisect.bisect_right(self.starts, _end(outer))
        return self.items[low:high]

    def any_within(self, outer: ast.AST) -> bool:
        """Whether an item's node starts inside `outer`'s extent."""
        low = bisect.bisect_left(self.starts, _start(outer))
        return low < len(self.starts) and self.starts[low] <= _end(outer)


def _start(node: ast.AST) -> tuple[int, int]:
    lineno: int = getattr(node, "lineno", 0)
    col: int = getattr(node, "col_offset", 0)
    return (lineno, col)


def _end(node: ast.AST) -> tuple[int, int]:
    end_lineno: int | None = getattr(node, "end_lineno", None)
    end_col: int | None = getattr(node, "end_col_offset", None)
    start_lineno: int = getattr(node, "lineno", 0)
    return (end_lineno or start_lineno, end_col or 0)


def call_name_parts(call: ast.Call) -> list[str] | None:
    return dotted_parts(call.func)
