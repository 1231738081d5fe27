"""A file seen as a module of its project: what each of its functions does to stdin/stdout.

Computed from the same model and facts as a script's analysis, once per version of the
file, and handed to the scripts that import it (see `project_modules`). Only the module's
own doing is summarised; where its functions go on into other modules is kept as written
and followed when a question needs it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from scriptcontract.contract.delegation import IMPORT, RUN, Reference
from scriptcontract.contract.project_modules import ModuleFacts

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.model import FunctionInfo


def summarise_module(facts: Facts) -> ModuleFacts:
    model = facts.model
    keys: dict[int, str] = {id(f): _key(facts, f) for f in model.all_functions}
    reads: set[str] = set()
    writes: set[str] = set()
    references: dict[str, set[Reference]] = {}

    def did(function: FunctionInfo | None, main_guard: bool, read: bool, wrote: bool) -> None:
        where = [keys[id(function)]] if function is not None else [RUN]
        if function is None and not main_guard:
            where.append(IMPORT)
        for key in where:
            if read:
                reads.add(key)
            if wrote:
                writes.add(key)

    for ref in facts.stdin_refs:
        did(ref.ctx.function, ref.ctx.main_guard, True, False)
    for write in facts.direct_writes:
        did(write.site.ctx.function, write.site.ctx.main_guard, False, True)
    for handover in facts.streams_handed:
        did(handover.function, handover.main_guard, handover.reads, handover.writes)
    for handover in facts.project_references:
        assert handover.reference is not None
        if handover.function is not None:
            where = [keys[id(handover.function)]]
        else:
            where = [RUN] if handover.main_guard else [RUN, IMPORT]
        for key in where:
            references.setdefault(key, set()).add(handover.reference)
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
    # A top-level call of the module's own functions runs them on import too.
    for sites in model.calls.values():
        for site in sites:
            callee = model.local_function(site.name)
            if site.ctx.function is not None or callee is None:
                continue
            top = callers.setdefault(keys[id(callee)], set())
            top.add(RUN)
            if not site.ctx.main_guard:
                top.add(IMPORT)
    for found in (reads, writes):
        _spread(found, callers)
    _spread_references(references, callers)
    return ModuleFacts(
        path=facts.path or "",
        reads_stdin=frozenset(reads),
        writes_stdout=frozenset(writes),
        references={key: frozenset(found) for key, found in references.items()},
        returns_text=frozenset(
            function.name
            for function in model.functions.values()
            if function.parent is None and not function.is_method and facts.returns_text(function)
        ),
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


def _spread_references(references: dict[str, set[Reference]], callers: dict[str, set[str]]) -> None:
    pending = list(references)
    while pending:
        callee = pending.pop()
        for caller in callers.get(callee, ()):
            mine = references.setdefault(caller, set())
            if not references[callee] <= mine:
                mine |= references[callee]
                pending.append(caller)
