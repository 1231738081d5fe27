"""Proven delegation: where a script reads stdin or writes stdout through someone else.

A script may leave its I/O to a module of its project (`helpers.read_inputs()`,
`@helpers.hook` on its entry function, `importlib.import_module("helpers")`), or hand the
streams to a call (`tfe.query_args(sys.stdin)`). Each of these is proven here from the
module's own analysis or from the stream passed; a call into a module that cannot be found
proves nothing, and the rules about reading inputs and writing the result are not
switched off by it.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from scriptcontract.contract import names as N
from scriptcontract.contract.model import CallSite, Ctx, FunctionInfo

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.project_modules import ModuleFacts

LOADERS = frozenset({"importlib.import_module", "runpy.run_module", "__import__"})
PATH_LOADERS = frozenset({"runpy.run_path"})


class Delegation(NamedTuple):
    """What the script hands over: where, and whether stdin and/or stdout."""

    node: ast.AST
    stmt: ast.stmt
    reads: bool
    writes: bool
    function: FunctionInfo | None  # where it happens (None: module level)
    main_guard: bool  # at module level, under `if __name__ == "__main__":`


def delegations(facts: Facts, need: str | None = None) -> list[Delegation]:
    """Every proven hand-over of stdin or stdout in the script; with `need` ("reads",
    "writes"), modules that cannot do that I/O are not analysed."""
    found: list[Delegation] = []
    model = facts.model
    for site in _calls_with_streams(facts):
        found.extend(_streams_passed(facts, site))
    if facts.modules is None:
        return found
    for name in (*LOADERS, *PATH_LOADERS):
        for site in model.calls.get(name, ()):
            found.extend(_through_loader(facts, site, need))
    candidates = _project_names(facts)
    if candidates:
        # Calls are grouped by resolved name, which starts with the import it goes through
        # (`helpers.emit`) or the instance's name (`tf.answer`).
        prefixes = tuple(f"{model.aliases.get(name, name)}." for name in candidates) + tuple(
            model.aliases.get(name, name) for name in candidates
        )
        for key, sites in model.calls.items():
            if key.startswith(prefixes):
                for site in sites:
                    found.extend(_through_project(facts, site, need))
        for function in model.all_functions:
            found.extend(_through_decorators(facts, function, need))
        found.extend(_through_imports(facts, need))
    return found


def _project_names(facts: Facts) -> set[str]:
    """Local names that may lead into the project: imports of modules that are not known
    (standard library, well-known packages), and names bound to what those return."""
    model = facts.model
    imported = {
        local
        for local, target in model.aliases.items()
        if target.startswith(".") or not N.is_known_module(target)
    }
    if not imported:
        return set()
    bound = {
        name
        for name, assignments in model.assignments.items()
        for a in assignments
        if isinstance(a.value, ast.Call) and _head(a.value.func) in imported
    }
    loaded = {
        name
        for loader in LOADERS
        for site in model.calls.get(loader, ())
        if isinstance(site.stmt, ast.Assign)
        for name in (t.id for t in site.stmt.targets if isinstance(t, ast.Name))
    }
    return imported | bound | loaded


def _head(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _calls_with_streams(facts: Facts) -> list[CallSite]:
    """The calls of the statements that mention sys.stdin or sys.stdout."""
    statements: dict[int, ast.stmt] = {}
    for key in (N.STDIN, N.STDOUT):
        for ref in facts.model.stream_refs.get(key, ()):
            statements[id(ref.stmt)] = ref.stmt
    return [site for stmt in statements.values() for site in facts.calls_in(stmt)]


def _through_project(facts: Facts, site: CallSite, need: str | None) -> Iterator[Delegation]:
    target = project_target(facts, site, need)
    if target is not None:
        module, attribute = target
        reads, writes = module.does(attribute)
        if reads or writes:
            yield Delegation(site.node, site.stmt, reads, writes, *_where(site.ctx))


def _streams_passed(facts: Facts, site: CallSite) -> Iterator[Delegation]:
    """`tfe.query_args(sys.stdin)`, `run(main, stdout=sys.stdout)`: the stream is handed to
    code that reads or writes it (print(file=...) and json.dump(x, stream) are writes the
    analyser already sees)."""
    model = facts.model
    name = site.name
    if name is not None and (
        N.is_known_module(name)
        or ("." not in name and name not in model.aliases and model.local_function(name) is None)
    ):
        return  # csv.reader(sys.stdin), print(file=...), list(sys.stdin): seen for what they are
    values = [*site.node.args, *(k.value for k in site.node.keywords)]
    reads = any(model.resolve(v) == N.STDIN for v in values if not isinstance(v, ast.Starred))
    writes = any(
        not isinstance(v, ast.Starred) and facts.is_stdout(v, site.ctx.function) for v in values
    )
    if reads or writes:
        yield Delegation(site.node, site.stmt, reads, writes, *_where(site.ctx))


def _where(ctx: Ctx) -> tuple[FunctionInfo | None, bool]:
    return ctx.function, ctx.main_guard


def _through_loader(facts: Facts, site: CallSite, need: str | None) -> Iterator[Delegation]:
    """`importlib.import_module("helpers")` runs the module's top level;
    `runpy.run_path("scripts/step.py", run_name="__main__")` runs it as a script."""
    if facts.modules is None or site.name not in (*LOADERS, *PATH_LOADERS):
        return
    first = site.node.args[0] if site.node.args else None
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return
    modules = facts.modules
    if site.name in PATH_LOADERS:
        root = modules.root or "."
        path: str | None = os.path.normpath(os.path.join(root, first.value))
    else:
        path = modules.find(first.value, facts.path)
    found = modules.facts(path, need) if path else None
    if found is None:
        return
    as_script = site.name in PATH_LOADERS or any(
        k.arg == "run_name" and isinstance(k.value, ast.Constant) and k.value.value == "__main__"
        for k in site.node.keywords
    )
    reads = found.reads_when_run if as_script else found.reads_on_import
    writes = found.writes_when_run if as_script else found.writes_on_import
    if reads or writes:
        yield Delegation(site.node, site.stmt, reads, writes, *_where(site.ctx))


def _through_decorators(
    facts: Facts, function: FunctionInfo, need: str | None
) -> Iterator[Delegation]:
    """`@helpers.script` wraps the entry function: the wrapper does what it does."""
    for decorator in function.node.decorator_list:
        expr = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = facts.model.resolve(expr)
        target = _module_attribute(facts, name, expr, need)
        if target is None:
            continue
        reads, writes = target[0].does(target[1])
        if reads or writes:
            yield Delegation(decorator, function.node, reads, writes, function, False)


def _through_imports(facts: Facts, need: str | None) -> Iterator[Delegation]:
    """A project module that reads stdin or writes stdout when imported."""
    modules = facts.modules
    if modules is None:
        return
    for site in facts.model.imports:
        stmt = site.node
        for module in _imported_modules(stmt):
            path = modules.find(module, facts.path)
            if path is None or not modules.may_on_import(path, need or "any"):
                continue
            found = modules.facts(path, need)
            if found is not None and (found.reads_on_import or found.writes_on_import):
                yield Delegation(
                    stmt,
                    site.stmt,
                    found.reads_on_import,
                    found.writes_on_import,
                    *_where(site.ctx),
                )


def _imported_modules(stmt: ast.AST) -> list[str]:
    if isinstance(stmt, ast.Import):
        return [alias.name for alias in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        base = "." * (stmt.level or 0) + (stmt.module or "")
        return [base] if stmt.module else [f"{base}{alias.name}" for alias in stmt.names]
    return []


def project_target(
    facts: Facts, site: CallSite, need: str | None = None
) -> tuple[ModuleFacts, str] | None:
    """The project module and the function (`name` or `Class.name`) a call runs, if any."""
    if facts.modules is None:
        return None
    func = site.node.func
    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return None
    if head.id in facts.model.aliases:
        return _module_attribute(facts, site.name, func, need)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return _instance_method(facts, func.value, func.attr, site.ctx.function, need)
    return None


def _module_attribute(
    facts: Facts, name: str | None, expr: ast.expr, need: str | None
) -> tuple[ModuleFacts, str] | None:
    modules = facts.modules
    if modules is None or name is None:
        return None
    head = expr
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name) or head.id not in facts.model.aliases:
        return None
    # The same function is often called many times: resolve each name once.
    key = (name, need)
    if key not in facts.project_targets:
        facts.project_targets[key] = _resolve_attribute(facts, name, need)
    return facts.project_targets[key]


def _resolve_attribute(facts: Facts, name: str, need: str | None) -> tuple[ModuleFacts, str] | None:
    modules = facts.modules
    assert modules is not None
    level = len(name) - len(name.lstrip("."))
    parts = name[level:].split(".")
    for split in (len(parts) - 1, len(parts) - 2):
        if split < (0 if level else 1):
            continue
        module = "." * level + ".".join(parts[:split])
        path = modules.find(module, facts.path)
        if path is None:
            continue
        found = modules.facts(path, need)
        return (found, ".".join(parts[split:])) if found is not None else None
    return None


def _instance_method(
    facts: Facts, receiver: ast.Name, method: str, scope: FunctionInfo | None, need: str | None
) -> tuple[ModuleFacts, str] | None:
    """`tfe = tf_external.TfExternal(); tfe.query_args(...)`, `mod = importlib.import_module
    ("helpers"); mod.run()`."""
    values = facts.assigned_values(receiver.id, scope)
    if len(values) != 1 or not isinstance(values[0], ast.Call):
        return None
    call = values[0]
    name = facts.model.resolve(call.func)
    modules = facts.modules
    if modules is None or name is None:
        return None
    first = call.args[0] if call.args else None
    if name in LOADERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
        path = modules.find(first.value, facts.path)
        found = modules.facts(path, need) if path else None
        return (found, method) if found is not None else None
    target = _module_attribute(facts, name, call.func, need)
    if target is None or target[1] not in target[0].classes:
        return None
    return target[0], f"{target[1]}.{method}"
