"""A file seen as a module of its project: what each of its functions does to stdin/stdout.

Computed from the same model and facts as a script's analysis, once per version of the
file, and handed to the scripts that import it (see `project_modules`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from scriptcontract.contract.delegation import delegations
from scriptcontract.contract.facts import WriteKind
from scriptcontract.contract.project_modules import ModuleFacts

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.model import FunctionInfo


def summarise_module(facts: Facts) -> ModuleFacts:
    model = facts.model
    keys: dict[int, str] = {id(f): _key(facts, f) for f in model.all_functions}
    reads: set[str] = set()
    writes: set[str] = set()
    json_out: set[str] = set()
    for ref in facts.stdin_refs:
        if ref.ctx.function is not None:
            reads.add(keys[id(ref.ctx.function)])
    for write in facts.direct_writes:
        if write.site.ctx.function is not None:
            key = keys[id(write.site.ctx.function)]
            writes.add(key)
            if write.kind is WriteKind.JSON:
                json_out.add(key)
    top_reads = top_writes = run_reads = run_writes = False
    # The modules it imports are followed for any I/O: the summary answers every question.
    for delegation in delegations(facts, "any"):
        function = delegation.function
        if function is not None:
            if delegation.reads:
                reads.add(keys[id(function)])
            if delegation.writes:
                writes.add(keys[id(function)])
            continue
        run_reads = run_reads or delegation.reads
        run_writes = run_writes or delegation.writes
        if not delegation.main_guard:
            top_reads = top_reads or delegation.reads
            top_writes = top_writes or delegation.writes
    # What a function calls, it does: follow the module's own calls to a fixed point.
    callers: dict[str, set[str]] = {}
    for function in model.all_functions:
        for site in function.calls:
            callee = model.local_function(site.name)
            if callee is not None and callee is not function:
                callers.setdefault(keys[id(callee)], set()).add(keys[id(function)])
        if function.parent is not None:
            # A decorator returns its inner wrapper: calling the decorated function runs it.
            callers.setdefault(keys[id(function)], set()).add(keys[id(function.parent)])
    for found in (reads, writes, json_out):
        _spread(found, callers)
    classes = frozenset(stmt.name for stmt in model.tree.body if isinstance(stmt, ast.ClassDef))
    top_reads = top_reads or any(
        r.ctx.function is None and not r.ctx.main_guard for r in facts.stdin_refs
    )
    top_writes = top_writes or any(
        w.site.ctx.function is None and not w.site.ctx.main_guard for w in facts.direct_writes
    )
    run_reads = run_reads or any(r.ctx.function is None for r in facts.stdin_refs)
    run_writes = run_writes or any(w.site.ctx.function is None for w in facts.direct_writes)
    # A top-level call of the module's own functions runs them on import too.
    for sites in model.calls.values():
        for site in sites:
            callee = model.local_function(site.name)
            if site.ctx.function is not None or callee is None:
                continue
            key = keys[id(callee)]
            if not site.ctx.main_guard:
                top_reads = top_reads or key in reads
                top_writes = top_writes or key in writes
            run_reads = run_reads or key in reads
            run_writes = run_writes or key in writes
    return ModuleFacts(
        path=facts.path or "",
        reads_stdin=frozenset(reads),
        writes_stdout=frozenset(writes),
        writes_json=frozenset(json_out),
        classes=classes,
        reads_on_import=top_reads,
        writes_on_import=top_writes,
        reads_when_run=run_reads,
        writes_when_run=run_writes,
    )


def _key(facts: Facts, function: FunctionInfo) -> str:
    """`name` for a function, `Class.name` for a method of a top-level class."""
    if not function.is_method:
        return function.name
    parent = facts.model.parent_of(function.node)
    owner = parent.stmt if parent is not None else None
    return f"{owner.name}.{function.name}" if isinstance(owner, ast.ClassDef) else function.name


def _spread(found: set[str], callers: dict[str, set[str]]) -> None:
    pending = list(found)
    while pending:
        for caller in callers.get(pending.pop(), ()):
            if caller not in found:
                found.add(caller)
                pending.append(caller)
