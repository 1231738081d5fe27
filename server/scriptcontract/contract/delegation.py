"""Proven delegation: where a script reads stdin or writes stdout through someone else.

A script may leave its I/O to a module of its project (`helpers.read_inputs()`,
`@helpers.hook` on its entry function, `importlib.import_module("helpers")`), or hand the
streams to a call (`tfe.query_args(sys.stdin)`). Each of these is proven here from the
module's own analysis, from the stream passed, or from the short table of host frameworks
that own the script's I/O (`framework_io`); any other call into a module that cannot be found
proves nothing, and the rules about reading inputs and writing the result are not
switched off by it.

The ways into other modules are collected from the code as written (`references`), the
same for a script and for a module summarised for its importers; what they lead to is
resolved when a question is asked (`ProjectModules.does`), following only the modules
that may answer it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NamedTuple

from scriptcontract.contract import names as N
from scriptcontract.contract.framework_io import framework_does
from scriptcontract.contract.model import CallSite, Ctx, FunctionInfo

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts

LOADERS = frozenset({"importlib.import_module", "runpy.run_module", "__import__"})
PATH_LOADERS = frozenset({"runpy.run_path"})
# What a module does when imported, and when run as a script.
IMPORT, RUN = "<import>", "<run>"


class Reference(NamedTuple):
    """A way into another module of the project, as written; resolved when asked about.

    kind "call": `name` is a dotted function or `Class.method` (`helpers.emit`);
    "instance": `name` is a dotted class, `attribute` the method called on an instance;
    "loaded": `name` is a module loaded by name, `attribute` the function called on it;
    "import" / "run": `name` is a module imported, or run as `__main__`;
    "file": `name` is a file, relative to the project root, run as a script.
    """

    kind: str
    name: str
    attribute: str = ""


class Handover(NamedTuple):
    """Where the code hands over stdin or stdout, or may (a reference into the project)."""

    node: ast.AST
    stmt: ast.stmt
    function: FunctionInfo | None  # where it happens (None: module level)
    main_guard: bool  # at module level, under `if __name__ == "__main__":`
    reference: Reference | None  # None: a stream passed to a call, see `reads`/`writes`
    reads: bool = False
    writes: bool = False


def delegates(facts: Facts, need: str, handed: list[Handover] | None = None) -> bool:
    """Whether the script is proven to hand over `need` ("reads": stdin, "writes": stdout);
    `handed`: the streams passed to calls to count (default: all of them)."""
    for handover in facts.streams_handed if handed is None else handed:
        if handover.reads if need == "reads" else handover.writes:
            return True
    if framework_does(facts, need):
        return True
    modules = facts.modules
    if modules is None:
        return False
    for handover in facts.project_references:
        assert handover.reference is not None
        target = modules.resolve(handover.reference, facts.path)
        if target is None:
            continue  # not into the project: proves nothing
        if handover.function is not None and id(handover.function) not in facts.run_path:
            continue  # a function the run never calls hands nothing over
        reads, writes = modules.does(target[0], target[1], need)
        if reads if need == "reads" else writes:
            return True
    return False


DYNAMIC = frozenset({"globals", "vars", "locals"})
BY_NAME = frozenset({"getattr", "hasattr"})


def run_path(facts: Facts) -> set[int]:
    """The functions (by id) that may run when the script runs: those named anywhere in the
    file (called, passed as a callback, put in a table, returned), the decorated ones
    (frameworks register them), every method of a class so named, and what is nested in
    them. A function nothing names, or a method of a class nothing names (a test case found
    by reflection), does not run. Where functions are looked up by name (`globals()[name]`,
    `getattr(sys.modules[__name__], name)`), all of them may."""
    model = facts.model
    if any(name in model.calls for name in DYNAMIC) or any(
        site.node.args and isinstance(site.node.args[0], (ast.Subscript, ast.Call))
        for name in BY_NAME
        for site in model.calls.get(name, ())
    ):
        return {id(f) for f in model.all_functions}
    name_type = ast.Name
    named = {node.id for found in model.scans.values() for node in found if type(node) is name_type}
    classes = {s.name: s for s in model.tree.body if isinstance(s, ast.ClassDef)}
    pending = [name for name in classes if name in named or classes[name].decorator_list]
    reached_classes: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached_classes or name not in classes:
            continue
        reached_classes.add(name)
        pending.extend(h for h in map(_head, classes[name].bases) if h is not None)
    reached: set[int] = set()
    for function in model.all_functions:  # outer functions come before those they nest
        if function.parent is not None:
            if id(function.parent) in reached:
                reached.add(id(function))
            continue
        if function.is_method:
            parent = model.parent_of(function.node)
            owner = parent.stmt if parent is not None else None
            if not isinstance(owner, ast.ClassDef) or owner.name in reached_classes:
                reached.add(id(function))
        elif function.name in named or function.node.decorator_list:
            reached.add(id(function))
    return reached


def streams_passed(facts: Facts) -> list[Handover]:
    """`tfe.query_args(sys.stdin)`, `run(main, stdout=sys.stdout)`: the stream is handed to
    code that reads or writes it (print(file=...) and json.dump(x, stream) are writes the
    analyser already sees)."""
    found: list[Handover] = []
    model = facts.model
    statements = {
        id(ref.stmt) for key in (N.STDIN, N.STDOUT) for ref in model.stream_refs.get(key, ())
    }
    if not statements:
        return found
    sites = [s for group in model.calls.values() for s in group if id(s.stmt) in statements]
    for site in sites:
        name = site.name
        builtin = name is not None and "." not in name and name not in model.aliases
        if name is not None and (
            N.is_known_module(name) or (builtin and model.local_function(name) is None)
        ):
            continue  # csv.reader(sys.stdin), print(file=...), list(sys.stdin): seen as such
        values = [
            v
            for v in (*site.node.args, *(k.value for k in site.node.keywords))
            if not isinstance(v, ast.Starred)
        ]
        reads = any(model.resolve(v) == N.STDIN for v in values)
        writes = any(facts.is_stdout(v, site.ctx.function) for v in values)
        if reads or writes:
            found.append(Handover(site.node, site.stmt, *_where(site.ctx), None, reads, writes))
    return found


def references(facts: Facts) -> list[Handover]:
    """Every call, decorator, import and loader of the file that may lead into a module of
    its project (not resolved: see `ProjectModules.resolve`)."""
    model = facts.model
    found: list[Handover] = []
    for name in (*LOADERS, *PATH_LOADERS):
        for site in model.calls.get(name, ()):
            reference = _loader(site)
            if reference is not None:
                found.append(Handover(site.node, site.stmt, *_where(site.ctx), reference))
    imported = {
        local
        for local, target in model.aliases.items()
        if target.startswith(".") or not N.is_known_module(target)
    }
    if not imported:
        return found
    # Calls are grouped by resolved name, which starts with the import it goes through
    # (`helpers.emit`, `.helpers.emit`) or the instance's name (`tf.answer`).
    by_head: dict[str, list[list[CallSite]]] = {}
    for key, sites in model.calls.items():
        by_head.setdefault(key.split(".", 1)[0], []).append(sites)
    heads = {model.aliases[local].split(".", 1)[0] for local in imported}
    # Names bound to what those calls return (`tf = helpers.Terraform()`), or to a module
    # loaded by name: their methods may lead into the project too.
    bound: set[str] = set()
    for head in heads:
        for sites in by_head.get(head, ()):
            for site in sites:
                bound.update(_bound_by(site))
                reference = _call(facts, site)
                if reference is not None:
                    found.append(Handover(site.node, site.stmt, *_where(site.ctx), reference))
    for loader in LOADERS:
        for site in model.calls.get(loader, ()):
            bound.update(_bound_by(site))
    for head in bound - heads:
        if head in model.aliases:
            continue
        for sites in by_head.get(head, ()):
            for site in sites:
                reference = _call(facts, site)
                if reference is not None:
                    found.append(Handover(site.node, site.stmt, *_where(site.ctx), reference))
    for function in model.all_functions:
        # `@helpers.script` wraps the function: calling it runs what the wrapper does.
        for decorator in function.node.decorator_list:
            expr = decorator.func if isinstance(decorator, ast.Call) else decorator
            if _head(expr) not in imported:
                continue
            wrapper = model.resolve(expr)
            if wrapper is not None:
                reference = Reference("call", wrapper)
                found.append(Handover(decorator, function.node, function, False, reference))
    for statement in model.imports:
        for module in _imported_modules(statement.node):
            if module.startswith(".") or not N.is_known_module(module):
                where = _where(statement.ctx)
                reference = Reference("import", module)
                found.append(Handover(statement.node, statement.stmt, *where, reference))
    return found


def _loader(site: CallSite) -> Reference | None:
    """`importlib.import_module("helpers")` runs the module's top level;
    `runpy.run_path("scripts/step.py", run_name="__main__")` runs it as a script."""
    first = site.node.args[0] if site.node.args else None
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return None
    if site.name in PATH_LOADERS:
        return Reference("file", first.value)
    as_script = any(
        k.arg == "run_name" and isinstance(k.value, ast.Constant) and k.value.value == "__main__"
        for k in site.node.keywords
    )
    return Reference("run" if as_script else "import", first.value)


def _call(facts: Facts, site: CallSite) -> Reference | None:
    """`helpers.emit(x)`; `tf.answer(x)` on `tf = helpers.Terraform()`; `mod.run()` on
    `mod = importlib.import_module("helpers")`."""
    func = site.node.func
    head = _head(func)
    model = facts.model
    if head is None:
        return None
    if head in model.aliases:
        return Reference("call", site.name) if site.name is not None else None
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return None
    values = facts.assigned_values(func.value.id, site.ctx.function)
    if len(values) != 1 or not isinstance(values[0], ast.Call):
        return None
    call = values[0]
    name = model.resolve(call.func)
    if name is None:
        return None
    first = call.args[0] if call.args else None
    if name in LOADERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return Reference("loaded", first.value, func.attr)
    if _head(call.func) in model.aliases:
        return Reference("instance", name, func.attr)
    return None


def _bound_by(site: CallSite) -> list[str]:
    """The names a call's result is bound to: `tf = helpers.Terraform()`,
    `with helpers.session() as s:`."""
    stmt, node = site.stmt, site.node
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign) and stmt.value is node:
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is node:
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [
            item.optional_vars
            for item in stmt.items
            if item.context_expr is node and item.optional_vars is not None
        ]
    return [target.id for target in targets if isinstance(target, ast.Name)]


def _head(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _where(ctx: Ctx) -> tuple[FunctionInfo | None, bool]:
    return ctx.function, ctx.main_guard


def _imported_modules(stmt: ast.AST) -> list[str]:
    if isinstance(stmt, ast.Import):
        return [alias.name for alias in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        base = "." * (stmt.level or 0) + (stmt.module or "")
        return [base] if stmt.module else [f"{base}{alias.name}" for alias in stmt.names]
    return []
